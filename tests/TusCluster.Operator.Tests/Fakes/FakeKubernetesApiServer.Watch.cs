using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>Watch: replays history after the requested resource version, then streams new events; faults on request.</summary>
internal sealed partial class FakeKubernetesApiServer
{
    private async Task WatchAsync(HttpContext context, Route route)
    {
        Interlocked.Increment(ref WatchRequests);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        if (Interlocked.Decrement(ref _failNextWatchesWithGone) >= 0)
        {
            var gone = new JsonObject
            {
                ["type"] = "ERROR",
                ["object"] = new JsonObject { ["kind"] = "Status", ["apiVersion"] = "v1", ["status"] = "Failure", ["reason"] = "Expired", ["code"] = 410, ["message"] = "too old resource version" },
            };
            await context.Response.WriteAsync(gone.ToJsonString() + "\n").ConfigureAwait(false);
            return;
        }

        var from = long.Parse(context.Request.Query["resourceVersion"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
        var timeout = TimeSpan.FromSeconds(int.Parse(context.Request.Query["timeoutSeconds"].FirstOrDefault() ?? "60", CultureInfo.InvariantCulture));
        var dropAfter = Volatile.Read(ref _dropWatchAfterEvents);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(timeout);
        var signal = new SemaphoreSlim(0);
        void Wake() => signal.Release();
        lock (_gate) _watchWakeups.Add(Wake);
        var sent = 0;
        try
        {
            await context.Response.Body.FlushAsync(deadline.Token).ConfigureAwait(false);
            while (!deadline.IsCancellationRequested)
            {
                List<(long Version, WatchLine Line)> pending;
                lock (_gate)
                {
                    pending = _history.Where(h => h.Version > from && route.MatchesCollection(h.Collection)).Select(h => (h.Version, h.Line)).ToList();
                }

                foreach (var (version, line) in pending)
                {
                    if (dropAfter >= 0 && sent >= dropAfter)
                    {
                        context.Abort();
                        return;
                    }

                    var json = new JsonObject { ["type"] = line.Type, ["object"] = line.Object.DeepClone() };
                    await context.Response.WriteAsync(json.ToJsonString() + "\n", deadline.Token).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(deadline.Token).ConfigureAwait(false);
                    from = version;
                    sent++;
                }

                await signal.WaitAsync(deadline.Token).ConfigureAwait(false);
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
}
