using TusCluster.Coordination.Contract;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.S3.Tests;

/// <summary>
/// The coordination on RGW's TLS endpoint, trusting the test CA through <c>CaCertificateFile</c> (the shared
/// connection setting the store takes too), with its conditional writes still sent body first.
/// </summary>
public sealed class S3CoordinationTlsTests(CephServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Leases_and_conditional_writes_work_over_tls_with_a_private_ca()
    {
        await using var coordination = Fixtures.Create(server.Ceph, $"tls-{Guid.NewGuid():N}/", o =>
        {
            o.ServiceUrl = server.Ceph.TlsEndpoint;
            o.CaCertificateFile = server.Ceph.CaFile;
        });
        var id = UploadId.New();
        await using (var lease = await coordination.AcquireAsync(id, TimeSpan.FromSeconds(30), Ct))
        {
            await lease.CommitAsync(TestRecords.New(id, offset: 3), Ct);
        }

        Assert.Equal(3, (await coordination.GetAsync(id, Ct))!.Offset);

        // A refused If-Match and then an accepted one: the connection stays in step after the early 412.
        var (document, etag) = await coordination.ReadAsync(id, Ct);
        Assert.Null(await coordination.Objects.WriteAsync(coordination.Keys.Upload(id), document!, "0123456789abcdef0123456789abcdef"));
        Assert.NotNull(await coordination.Objects.WriteAsync(coordination.Keys.Upload(id), document!, etag));
    }

    [Fact]
    public async Task Without_the_ca_the_tls_endpoint_is_not_trusted()
    {
        await using var coordination = Fixtures.Create(server.Ceph, $"tls-{Guid.NewGuid():N}/", o =>
        {
            o.ServiceUrl = server.Ceph.TlsEndpoint;
            o.CreateBucket = false;
        });

        Assert.False(await coordination.IsHealthyAsync(Ct));
    }
}
