using System.Net;
using System.Net.Sockets;
using Google;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Gcs;

/// <summary>Turns GCS and network failures into <see cref="StoreUnavailableException"/> (503, nothing lost).</summary>
internal static class GcsErrors
{
    /// <summary>A failure of GCS or the way to it, as opposed to a bug or the caller's own cancellation.</summary>
    public static bool IsStoreFailure(Exception e, CancellationToken cancellationToken) =>
        e is GoogleApiException or HttpRequestException or IOException or SocketException or InvalidDataException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    public static bool IsNotFound(Exception e) => e is GoogleApiException { HttpStatusCode: HttpStatusCode.NotFound };

    public static bool IsPreconditionFailed(Exception e) => e is GoogleApiException { HttpStatusCode: HttpStatusCode.PreconditionFailed };

    public static StoreUnavailableException Unavailable(string what, Exception e) =>
        new($"The GCS store could not {what}: {Describe(e)}", e);

    /// <summary>Runs one store operation, translating its failures.</summary>
    public static ValueTask<T> GuardAsync<T>(string what, Func<Task<T>> operation, CancellationToken cancellationToken) =>
        StoreCalls.GuardAsync(operation, e => IsStoreFailure(e, cancellationToken), e => Unavailable(what, e));

    public static ValueTask GuardAsync(string what, Func<Task> operation, CancellationToken cancellationToken) =>
        StoreCalls.GuardAsync(operation, e => IsStoreFailure(e, cancellationToken), e => Unavailable(what, e));

    /// <summary>A listing of the bucket, its failures translated.</summary>
    public static IAsyncEnumerable<T> GuardEach<T>(IAsyncEnumerable<T> listing, CancellationToken cancellationToken) =>
        StoreCalls.GuardEach(listing, e => IsStoreFailure(e, cancellationToken), e => Unavailable("list the bucket", e), cancellationToken);

    private static string Describe(Exception e) =>
        e is GoogleApiException api ? $"{(int)api.HttpStatusCode} {api.Error?.Message ?? api.Message}".Trim() : e.Message;
}
