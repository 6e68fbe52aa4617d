using System.Net;
using System.Net.Sockets;

namespace TusCluster.Cluster.Tests;

/// <summary>
/// The port reservation every test server relies on: a port handed out here is outside the kernel's
/// ephemeral range and locked against every other test process until this one exits.
/// </summary>
public sealed class FreePortTests
{
    [Fact]
    public void Ports_are_distinct_bindable_and_outside_the_ephemeral_range()
    {
        var ports = Enumerable.Range(0, 20).Select(_ => FreePort.Next()).ToList();

        Assert.Equal(ports.Count, ports.Distinct().Count());
        Assert.All(ports, port => Assert.InRange(port, 20000, 32767));
        foreach (var port in ports)
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }

    [Fact]
    public void A_handed_out_port_stays_locked_against_other_reservations()
    {
        var port = FreePort.Next();
        var reservation = Path.Combine(Path.GetTempPath(), "tuscluster-ports", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // What another test process's FreePort does first; flock is per open file, so it fails here too.
        Assert.Throws<IOException>(() => new FileStream(reservation, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
    }
}
