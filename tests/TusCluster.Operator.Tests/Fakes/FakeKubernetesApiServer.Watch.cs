using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// Watch as kube-apiserver serves it: without a resource version (or "0") the current objects come first as
/// ADDED; with one, the events after it, or an ERROR 410 Expired when it is older than the kept history; then
/// new events as they happen, filtered by selectors, with BOOKMARK events when asked for. Faults on request.
/// </summary>
internal sealed partial class FakeKubernetesApiServer
{
    /// <summary>How often a watch that allows bookmarks gets one (kube-apiserver: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    private async Task WatchAsync(HttpContext context, Route route, ApiResource resource)
    {
        Interlocked.Increment(ref WatchRequests);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var query = context.Request.Query;
        var requested = query["resourceVersion"].FirstOrDefault();
        long from;
        var initial = new List<JsonObject>();
        lock (_gate)
        {
            if (string.IsNullOrEmpty(requested) || requested == "0")
            {
                from = _resourceVersion;
                initial.AddRange(_objects.Where(p => route.Matches(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (JsonObject)p.Value.DeepClone()));
            }
            else if (!long.TryParse(requested, NumberStyles.None, CultureInfo.InvariantCulture, out from) || from < _compactedThrough)
            {
                from = -1;
            }
        }

        if (from < 0 || Interlocked.Decrement(ref _failNextWatchesWithGone) >= 0)
        {
            await WriteEventAsync(context, "ERROR", new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure", ["reason"] = "Expired", ["code"] = 410, ["message"] = $"too old resource version: {requested}" }, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var timeout = TimeSpan.FromSeconds(int.TryParse(query["timeoutSeconds"].FirstOrDefault(), CultureInfo.InvariantCulture, out var seconds) ? seconds : 1800);
        var bookmarks = query["allowWatchBookmarks"] == "true";
        var dropAfter = Volatile.Read(ref _dropWatchAfterEvents);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(timeout);
        using var signal = new SemaphoreSlim(0);
        void Wake() => signal.Release();
        lock (_gate) _watchWakeups.Add(Wake);
        var sent = 0;
        try
        {
            await context.Response.Body.FlushAsync(deadline.Token).ConfigureAwait(false);
            var pending = initial.Select(o => ("ADDED", o)).ToList();
            while (!deadline.IsCancellationRequested)
            {
                lock (_gate)
                {
                    pending.AddRange(_history.Where(h => h.Version > from && route.MatchesCollection(h.Collection)).Select(h => (h.Line.Type, h.Line.Object)));
                    from = _resourceVersion;
                }

                foreach (var (type, obj) in pending.Where(p => Selectors.Match(p.Item2, query["labelSelector"], query["fieldSelector"])))
                {
                    if (dropAfter >= 0 && sent >= dropAfter)
                    {
                        context.Abort();
                        return;
                    }

                    await WriteEventAsync(context, type, obj, deadline.Token).ConfigureAwait(false);
                    sent++;
                }

                pending.Clear();
                var woken = await signal.WaitAsync(bookmarks ? BookmarkInterval : Timeout.InfiniteTimeSpan, deadline.Token).ConfigureAwait(false);
                if (!woken && bookmarks)
                {
                    var bookmark = new JsonObject { ["kind"] = resource.Kind, ["apiVersion"] = resource.GroupVersion, ["metadata"] = new JsonObject { ["resourceVersion"] = from.ToString(CultureInfo.InvariantCulture) } };
                    await WriteEventAsync(context, "BOOKMARK", bookmark, deadline.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout or client gone: the watch ends like a real server's.
        }
        finally
        {
            lock (_gate) _watchWakeups.Remove(Wake);
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string type, JsonObject obj, CancellationToken cancellationToken)
    {
        var json = new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() };
        await context.Response.WriteAsync(json.ToJsonString() + "\n", cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
