using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.S3;

/// <summary>Turns S3 and network failures into <see cref="StoreUnavailableException"/> (503, nothing lost).</summary>
internal static class S3Errors
{
    /// <summary>A failure of S3 or the way to it, as opposed to a bug or the caller's own cancellation.</summary>
    public static bool IsStoreFailure(Exception e, CancellationToken cancellationToken) =>
        e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or SocketException or InvalidDataException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    public static StoreUnavailableException Unavailable(string what, Exception e) =>
        new($"The S3 store could not {what}: {Describe(e)}", e);

    private static string Describe(Exception e) =>
        e is AmazonServiceException service
            ? $"{(int)service.StatusCode} {service.ErrorCode} {service.Message}".Trim()
            : e.Message;

    public static bool IsNotFound(Exception e) =>
        e is AmazonS3Exception s3 && (s3.StatusCode == HttpStatusCode.NotFound || s3.ErrorCode is "NoSuchKey" or "NoSuchUpload");

    /// <summary>Runs one store operation, translating its failures.</summary>
    public static ValueTask<T> GuardAsync<T>(string what, Func<Task<T>> operation, CancellationToken cancellationToken) =>
        StoreCalls.GuardAsync(operation, e => IsStoreFailure(e, cancellationToken), e => Unavailable(what, e));

    public static ValueTask GuardAsync(string what, Func<Task> operation, CancellationToken cancellationToken) =>
        StoreCalls.GuardAsync(operation, e => IsStoreFailure(e, cancellationToken), e => Unavailable(what, e));

    /// <summary>A listing of the bucket, its failures translated.</summary>
    public static IAsyncEnumerable<T> GuardEach<T>(IAsyncEnumerable<T> listing, CancellationToken cancellationToken) =>
        StoreCalls.GuardEach(listing, e => IsStoreFailure(e, cancellationToken), e => Unavailable("list the bucket", e), cancellationToken);
}
