using System.Net;

namespace TusCluster.Operator.Kubernetes;

/// <summary>A non-success answer of the API server, with its Status reason and message.</summary>
internal sealed class KubernetesApiException(HttpStatusCode statusCode, string reason, string message)
    : Exception($"Kubernetes API answered {(int)statusCode} {reason}: {message}")
{
    public HttpStatusCode StatusCode { get; } = statusCode;

    public string Reason { get; } = reason;

    public string ApiMessage { get; } = message;

    /// <summary>The resource version a list or watch started from is older than the server keeps (HTTP 410 Gone).</summary>
    public bool IsExpired => StatusCode == HttpStatusCode.Gone;
}
