using System.Net;
using System.Net.Sockets;

namespace TusCluster.Coordination.Redis.Tests;

/// <summary>
/// A TCP forwarder between a replica and its primary whose primary-to-replica direction can be held:
/// from then on the replication stream no longer reaches the replica (as over a congested or
/// partitioned link), so writes the primary acknowledges exist on the primary only. Held bytes are
/// dropped, so a link is never released again.
/// </summary>
internal sealed class ReplicationLink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _clients = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;
    private volatile bool _held;

    public ReplicationLink(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Hold() => _held = true;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var replica = await _listener.AcceptTcpClientAsync(_stop.Token);
                var primary = new TcpClient();
                try
                {
                    await primary.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                }
                catch (SocketException)
                {
                    replica.Dispose();
                    primary.Dispose();
                    continue;
                }

                lock (_gate)
                {
                    _clients.AddRange([replica, primary]);
                }

                _ = PumpAsync(replica, primary, held: false);
                _ = PumpAsync(primary, replica, held: true);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool held)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            while (true)
            {
                var read = await source.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                if (held && _held)
                {
                    continue;
                }

                await target.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // Either side went away.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        lock (_gate)
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }

        _stop.Dispose();
    }
}
