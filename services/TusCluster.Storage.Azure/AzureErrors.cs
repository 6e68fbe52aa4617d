using System.Net;
using System.Net.Sockets;
using Azure;
using Azure.Identity;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Azure;

/// <summary>Turns Azure and network failures into <see cref="StoreUnavailableException"/> (503, nothing lost).</summary>
internal static class AzureErrors
{
    /// <summary>A failure of Azure or the way to it, as opposed to a bug or the caller's own cancellation.</summary>
    public static bool IsStoreFailure(Exception e, CancellationToken cancellationToken) =>
        e is RequestFailedException or AuthenticationFailedException or CredentialUnavailableException
            or HttpRequestException or IOException or SocketException or InvalidDataException
        || (e is AggregateException aggregate && aggregate.InnerExceptions.All(inner => IsStoreFailure(inner, cancellationToken)))
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    public static bool IsNotFound(Exception e) => e is RequestFailedException { Status: (int)HttpStatusCode.NotFound };

    public static StoreUnavailableException Unavailable(string what, Exception e) =>
        new($"The Azure store could not {what}: {Describe(e)}", e);

    private static string Describe(Exception e) =>
        e is RequestFailedException failed ? $"{failed.Status} {failed.ErrorCode} {failed.Message.Split('\n')[0]}".Trim() : e.Message;

    /// <summary>Runs one store operation, translating its failures.</summary>
    public static ValueTask<T> GuardAsync<T>(string what, Func<Task<T>> operation, CancellationToken cancellationToken) =>
        StoreCalls.GuardAsync(operation, e => IsStoreFailure(e, cancellationToken), e => Unavailable(what, e));

    public static ValueTask GuardAsync(string what, Func<Task> operation, CancellationToken cancellationToken) =>
        StoreCalls.GuardAsync(operation, e => IsStoreFailure(e, cancellationToken), e => Unavailable(what, e));
}
