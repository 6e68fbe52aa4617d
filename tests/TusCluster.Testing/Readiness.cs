using System.Diagnostics;

namespace TusCluster.Testing;

/// <summary>
/// Waits until a server the tests started answers. A probe that fails in any way (refused, reset, its own
/// timeout, a not-ready answer) only means "not yet": on a loaded two-core CI machine one probe can outlast
/// its timeout while the server is starting fine, so only the overall deadline ends the wait.
/// </summary>
public static class Readiness
{
    /// <summary>Generous: a cold .NET host or Ceph on a busy machine can take tens of seconds.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(50);

    /// <param name="what">Names the server in the timeout message.</param>
    /// <param name="probe">One attempt; true when ready. Gets a token that ends this attempt.</param>
    /// <param name="failure">A description when the server can no longer become ready (its process exited), else null.</param>
    public static async Task WaitAsync(string what, Func<CancellationToken, Task<bool>> probe, Func<string?>? failure = null, TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var limit = deadline ?? DefaultDeadline;
        var elapsed = Stopwatch.StartNew();
        var attempts = 0;
        string last = "no probe answered";
        while (true)
        {
            if (failure?.Invoke() is { } reason)
            {
                throw new InvalidOperationException($"{what} failed before it was ready: {reason}");
            }

            attempts++;
            using (var attempt = new CancellationTokenSource(ProbeTimeout))
            {
                try
                {
                    if (await probe(attempt.Token))
                    {
                        return;
                    }

                    last = "the last probe answered not ready";
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    last = $"the last probe failed: {e.GetType().Name}: {e.Message}";
                }
            }

            if (elapsed.Elapsed >= limit)
            {
                throw new TimeoutException($"{what} was not ready after {limit.TotalSeconds:0} s and {attempts} probes; {last}.");
            }

            await Task.Delay(Pause);
        }
    }

    /// <summary>A probe that is ready when <paramref name="url"/> answers with a status <paramref name="isReady"/> accepts (2xx by default).</summary>
    public static Func<CancellationToken, Task<bool>> HttpProbe(Uri url, Func<int, bool>? isReady = null, HttpMethod? method = null) =>
        async cancellationToken =>
        {
            using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url);
            if (request.Method == HttpMethod.Post)
            {
                request.Content = new StringContent("{}");
            }

            using var response = await ProbeClient.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            return isReady?.Invoke(status) ?? status is >= 200 and < 300;
        };

    /// <summary>A probe that is ready once a TCP connection to the loopback port succeeds.</summary>
    public static Func<CancellationToken, Task<bool>> TcpProbe(int port) =>
        async cancellationToken =>
        {
            using var client = new System.Net.Sockets.TcpClient();
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
            return true;
        };

    // Per-attempt timeouts come from the probe's token, never from the client: a client timeout would be one more
    // way for a single slow answer to look like a failure.
    private static readonly HttpClient ProbeClient = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(1) }) { Timeout = Timeout.InfiniteTimeSpan };
}
