using System.Net;
using System.Net.Sockets;

namespace TusCluster.Testing;

/// <summary>
/// Loopback ports for the servers a test starts, each handed out once per machine at a time.
/// </summary>
/// <remarks>
/// Asking the kernel for port 0 and closing the socket is racy: the kernel hands that port out again,
/// to another test process asking for port 0 or as the source port of any outgoing connection, before
/// the server binds it. A server that then fails to bind exits, and a readiness probe answered by
/// whoever holds the port passes (a CI flake: a cluster test talked to another test's replica).
/// So ports come from below the kernel's ephemeral range (32768-60999), which it never hands out on
/// its own, and each is reserved by an exclusive lock on a file named after it, held until this
/// process exits (the kernel drops the lock with the process, so a crashed run leaves nothing held).
/// The shell scripts under tests/servers pick from 10000-19999 (tests/servers/free-ports.py), so the
/// two never meet.
/// </remarks>
public static class FreePort
{
    private const int First = 20000;
    private const int Count = 12768;

    private static readonly string ReservationDirectory = Path.Combine(Path.GetTempPath(), "tuscluster-ports");
    private static readonly List<FileStream> Reservations = [];
    private static readonly Lock Gate = new();
    private static int _next = Random.Shared.Next(Count);

    /// <summary>A loopback port nobody listens on and no other test process was given.</summary>
    public static int Next()
    {
        Directory.CreateDirectory(ReservationDirectory);
        lock (Gate)
        {
            for (var attempt = 0; attempt < Count; attempt++)
            {
                var port = First + (_next++ % Count);
                if (TryReserve(port) is { } reservation)
                {
                    if (IsFree(port))
                    {
                        Reservations.Add(reservation);
                        return port;
                    }

                    reservation.Dispose();
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port in {First}-{First + Count - 1}.");
    }

    private static FileStream? TryReserve(int port)
    {
        try
        {
            // FileShare.None takes flock(LOCK_EX | LOCK_NB) on Unix: another process holding it fails here.
            return new FileStream(Path.Combine(ReservationDirectory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
