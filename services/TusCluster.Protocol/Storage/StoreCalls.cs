using System.Runtime.CompilerServices;

namespace TusCluster.Protocol.Storage;

/// <summary>
/// Runs a store's calls to its service so that the service's failures (as the store recognises them)
/// surface as <see cref="StoreUnavailableException"/>, and nothing else is touched. Shared by the object
/// stores, which differ only in what counts as a failure and how it is described.
/// </summary>
public static class StoreCalls
{
    public static async ValueTask<T> GuardAsync<T>(Func<Task<T>> operation, Func<Exception, bool> isFailure, Func<Exception, StoreUnavailableException> unavailable)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(isFailure);
        ArgumentNullException.ThrowIfNull(unavailable);
        try
        {
            return await operation();
        }
        catch (Exception e) when (e is not StoreUnavailableException && isFailure(e))
        {
            throw unavailable(e);
        }
    }

    public static ValueTask GuardAsync(Func<Task> operation, Func<Exception, bool> isFailure, Func<Exception, StoreUnavailableException> unavailable)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return new(GuardAsync(async () => { await operation(); return true; }, isFailure, unavailable).AsTask());
    }

    /// <summary>A listing whose every page request is guarded the same way.</summary>
    public static async IAsyncEnumerable<T> GuardEach<T>(
        IAsyncEnumerable<T> source, Func<Exception, bool> isFailure, Func<Exception, StoreUnavailableException> unavailable, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(isFailure);
        ArgumentNullException.ThrowIfNull(unavailable);
        await using var items = source.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await items.MoveNextAsync();
            }
            catch (Exception e) when (e is not StoreUnavailableException && isFailure(e))
            {
                throw unavailable(e);
            }

            if (!more)
            {
                yield break;
            }

            yield return items.Current;
        }
    }
}
