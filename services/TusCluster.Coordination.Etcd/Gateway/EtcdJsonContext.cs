using System.Text.Json;
using System.Text.Json.Serialization;

namespace TusCluster.Coordination.Etcd.Gateway;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(EtcdRangeRequest))]
[JsonSerializable(typeof(EtcdRangeResponse))]
[JsonSerializable(typeof(EtcdPutRequest))]
[JsonSerializable(typeof(EtcdPutResponse))]
[JsonSerializable(typeof(EtcdDeleteRangeRequest))]
[JsonSerializable(typeof(EtcdDeleteRangeResponse))]
[JsonSerializable(typeof(EtcdTxnRequest))]
[JsonSerializable(typeof(EtcdTxnResponse))]
[JsonSerializable(typeof(EtcdLeaseGrantRequest))]
[JsonSerializable(typeof(EtcdLeaseGrantResponse))]
[JsonSerializable(typeof(EtcdLeaseIdRequest))]
[JsonSerializable(typeof(EtcdStreamMessage<EtcdLeaseKeepAliveResult>))]
[JsonSerializable(typeof(EtcdLeaseRevokeResponse))]
[JsonSerializable(typeof(EtcdAuthenticateRequest))]
[JsonSerializable(typeof(EtcdAuthenticateResponse))]
[JsonSerializable(typeof(EtcdStatusResponse))]
[JsonSerializable(typeof(EtcdEmptyRequest))]
[JsonSerializable(typeof(EtcdWatchRequest))]
[JsonSerializable(typeof(EtcdStreamMessage<EtcdWatchResponse>))]
[JsonSerializable(typeof(EtcdError))]
internal sealed partial class EtcdJsonContext : JsonSerializerContext;

/// <summary>An error etcd answered (a gRPC status code): the request reached etcd and was refused.</summary>
internal sealed class EtcdErrorException : Exception
{
    public const int NotFound = 5;
    public const int Unauthenticated = 16;

    public EtcdErrorException()
    {
    }

    public EtcdErrorException(string message)
        : base(message)
    {
    }

    public EtcdErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EtcdErrorException(int code, int httpStatus, string message)
        : base(message)
    {
        Code = code;
        HttpStatus = httpStatus;
    }

    public int Code { get; }

    public int HttpStatus { get; }

    public bool IsLeaseNotFound => Code == NotFound && Message.Contains("lease not found", StringComparison.Ordinal);

    public bool IsInvalidToken => Code == Unauthenticated || Message.Contains("invalid auth token", StringComparison.Ordinal);

    public static bool IsLeaseNotFoundIn(Exception e) => e.InnerException is EtcdErrorException { IsLeaseNotFound: true };
}
