using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace TusCluster.Operator.Kubernetes;

/// <summary>
/// Keeps one kind of object in view (KubernetesClient has list and watch calls but no informer): list, then
/// watch from the list's resource version. A watch that ends (server timeout, dropped connection) resumes from
/// the last version seen, bookmarks included; 410 Gone re-lists at once; any other failure re-lists after an
/// exponential backoff with jitter. A re-list reports objects that vanished meanwhile as deleted. With a resync
/// period every known object is reported again, so a missed event can delay a reconcile but never lose it.
/// </summary>
internal sealed partial class MetadataWatch(WatchSource source, TimeSpan? resyncPeriod, ILogger logger)
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<(string Namespace, string Name), V1ObjectMeta> _known = new();

    public async Task RunAsync(Action<WatchEventType, V1ObjectMeta> onChange, CancellationToken cancellationToken)
    {
        var resyncing = resyncPeriod is { } period ? ResyncAsync(period, onChange, cancellationToken) : Task.CompletedTask;
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListAsync(onChange, cancellationToken).ConfigureAwait(false);
                failures = 0;
                while (true)
                {
                    resourceVersion = await WatchOnceAsync(resourceVersion, onChange, cancellationToken).ConfigureAwait(false);
                    LogWatchEnded(logger, source.Plural, resourceVersion);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (ApiErrors.IsGone(e))
            {
                LogExpired(logger, source.Plural);
            }
            catch (Exception e)
            {
                var delay = Backoff.Delay(++failures, InitialBackoff, MaxBackoff, Random.Shared.NextDouble());
                LogFailed(logger, source.Plural, delay, e);
                try
                {
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await resyncing.ConfigureAwait(false);
    }

    /// <summary>One watch request, until the server or the connection ends it; returns the last resource version seen. An ERROR event is thrown.</summary>
    private async Task<string> WatchOnceAsync(string resourceVersion, Action<WatchEventType, V1ObjectMeta> onChange, CancellationToken cancellationToken)
    {
        Exception? error = null;
        try
        {
            await foreach (var (type, metadata) in source.Watch(resourceVersion, e => error ??= e, cancellationToken).ConfigureAwait(false))
            {
                resourceVersion = metadata.ResourceVersion ?? resourceVersion;
                if (type == WatchEventType.Bookmark) continue;
                var key = Key(metadata);
                if (type == WatchEventType.Deleted) _known.TryRemove(key, out _);
                else _known[key] = metadata;
                onChange(type, metadata);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // The connection dropped mid-stream: like a server timeout, resume from the last version seen.
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (error is not null) throw error;
        return resourceVersion;
    }

    private async Task<string> ListAsync(Action<WatchEventType, V1ObjectMeta> onChange, CancellationToken cancellationToken)
    {
        var (items, resourceVersion) = await source.List(cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<(string, string)>();
        foreach (var metadata in items)
        {
            var key = Key(metadata);
            seen.Add(key);
            var type = _known.ContainsKey(key) ? WatchEventType.Modified : WatchEventType.Added;
            _known[key] = metadata;
            onChange(type, metadata);
        }

        foreach (var gone in _known.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            if (_known.TryRemove(gone, out var metadata)) onChange(WatchEventType.Deleted, metadata);
        }

        return resourceVersion;
    }

    private async Task ResyncAsync(TimeSpan period, Action<WatchEventType, V1ObjectMeta> onChange, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var metadata in _known.Values) onChange(WatchEventType.Modified, metadata);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private static (string Namespace, string Name) Key(V1ObjectMeta metadata) => (metadata.NamespaceProperty ?? "", metadata.Name ?? "");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watch of {Plural} ended at resource version {ResourceVersion}; resuming.")]
    private static partial void LogWatchEnded(ILogger logger, string plural, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch of {Plural} expired (410 Gone); listing again.")]
    private static partial void LogExpired(ILogger logger, string plural);

    [LoggerMessage(Level = LogLevel.Warning, Message = "List or watch of {Plural} failed; listing again in {Backoff}.")]
    private static partial void LogFailed(ILogger logger, string plural, TimeSpan backoff, Exception exception);
}
