using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace TusCluster.Operator.Kubernetes;

/// <summary>
/// Keeps a set of objects in view: list, then watch from the list's resource version. A watch that ends
/// (server timeout, dropped connection) resumes from the last seen version; an expired version (410) or
/// any other error re-lists. Every object is handed to <c>onChange</c> again each resync period, so a
/// missed event can delay a reconcile but never lose it.
/// </summary>
internal sealed partial class ListWatchLoop(
    KubernetesApiClient api, ResourceKind kind, string? watchNamespace, TimeSpan resyncPeriod, TimeSpan watchTimeout, ILogger logger)
{
    private readonly ConcurrentDictionary<(string Namespace, string Name), bool> _known = new();

    public async Task RunAsync(Action<string, string> onChange, CancellationToken cancellationToken)
    {
        using var resync = new PeriodicTimer(resyncPeriod);
        var resyncTask = ResyncAsync(resync, onChange, cancellationToken);
        var backoff = TimeSpan.FromMilliseconds(200);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListAsync(onChange, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(200);
                while (!cancellationToken.IsCancellationRequested)
                {
                    await foreach (var change in api.WatchAsync(kind, watchNamespace, resourceVersion, watchTimeout, cancellationToken).ConfigureAwait(false))
                    {
                        resourceVersion = (string?)change.Object["metadata"]?["resourceVersion"] ?? resourceVersion;
                        if (change.Type == "BOOKMARK") continue;
                        var key = Key(change.Object);
                        if (change.Type == "DELETED") _known.TryRemove(key, out _);
                        else _known[key] = true;
                        onChange(key.Namespace, key.Name);
                    }

                    LogWatchEnded(logger, kind.Plural, resourceVersion);
                }
            }
            catch (KubernetesApiException e) when (e.IsExpired)
            {
                LogExpired(logger, kind.Plural);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, kind.Plural, backoff, e);
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }

        await resyncTask.ConfigureAwait(false);
    }

    private async Task<string> ListAsync(Action<string, string> onChange, CancellationToken cancellationToken)
    {
        var list = await api.ListAsync(kind, watchNamespace, cancellationToken).ConfigureAwait(false);
        var seen = new HashSet<(string, string)>();
        foreach (var item in (list["items"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = Key(item);
            seen.Add(key);
            _known[key] = true;
            onChange(key.Namespace, key.Name);
        }

        foreach (var gone in _known.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _known.TryRemove(gone, out _);
            onChange(gone.Namespace, gone.Name);
        }

        return (string?)list["metadata"]?["resourceVersion"] ?? "0";
    }

    private async Task ResyncAsync(PeriodicTimer timer, Action<string, string> onChange, CancellationToken cancellationToken)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var key in _known.Keys) onChange(key.Namespace, key.Name);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private static (string Namespace, string Name) Key(JsonObject obj) =>
        ((string?)obj["metadata"]?["namespace"] ?? "", (string?)obj["metadata"]?["name"] ?? "");

    [LoggerMessage(Level = LogLevel.Debug, Message = "Watch of {Plural} ended at resource version {ResourceVersion}; resuming.")]
    private static partial void LogWatchEnded(ILogger logger, string plural, string resourceVersion);

    [LoggerMessage(Level = LogLevel.Information, Message = "Watch of {Plural} expired (410 Gone); listing again.")]
    private static partial void LogExpired(ILogger logger, string plural);

    [LoggerMessage(Level = LogLevel.Warning, Message = "List or watch of {Plural} failed; retrying in {Backoff}.")]
    private static partial void LogFailed(ILogger logger, string plural, TimeSpan backoff, Exception exception);
}
