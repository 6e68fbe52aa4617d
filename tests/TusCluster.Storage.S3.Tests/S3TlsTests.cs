using Microsoft.Extensions.Options;
using TusCluster.Protocol;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;
using static TusCluster.Storage.S3.Tests.S3StoreHarness;

namespace TusCluster.Storage.S3.Tests;

/// <summary>The store on RGW's TLS endpoint, whose certificate only the cluster's test CA vouches for.</summary>
public sealed class S3TlsTests(S3TestServer ceph)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AnUploadOfSeveralPartsGoesOverTlsWithSignedAndUnsignedPayloads(bool unsignedPayload)
    {
        await using var s3 = new S3StoreHarness(ceph, options => options.UnsignedPayloadOverHttps = unsignedPayload, overTls: true);
        var content = RandomBytes((2 * s3.PartSize) + 12_345, seed: 31);

        var record = await s3.CreateAsync(content.Length);
        record = await s3.AppendAsync(record.Id, content[..(s3.PartSize + 7)]);
        record = await s3.AppendAsync(record.Id, content[(s3.PartSize + 7)..]);

        Assert.Equal(UploadStatus.Finished, record.Status);
        Assert.Equal(content, await s3.ReadAsync(record));
    }

    [Fact]
    public async Task WithoutTheTestCaTheEndpointIsNotTrusted()
    {
        await using var s3 = new S3StoreHarness(ceph, options => options.CaCertificateFile = null, overTls: true);

        Assert.False(await s3.Store.IsHealthyAsync(Ct));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => s3.UploadAsync(RandomBytes(10, seed: 32)));
    }

    [Theory]
    [InlineData("/nonexistent/ca.pem")]
    [InlineData("/etc/hostname")]
    public void ACaFileThatHoldsNoCertificateIsReportedByName(string path)
    {
        var problems = new List<string>();
        S3ConnectionValidation.Validate(new S3StoreOptions { ServiceUrl = "https://127.0.0.1:7443", CaCertificateFile = path }, "S", problems);

        Assert.Equal(["S:CaCertificateFile must name a readable PEM file with at least one CA certificate."], problems);
    }

    [Theory]
    [InlineData("https://s3.example", true, true)]
    [InlineData("https://s3.example", false, null)]
    [InlineData("", true, true)]
    [InlineData("http://127.0.0.1:7480", true, null)]
    [InlineData("HTTP://127.0.0.1:7480", true, null)]
    public void PayloadsAreUnsignedOnlyOverHttpsAndOnlyWhenConfigured(string serviceUrl, bool configured, bool? expected)
    {
        var options = new S3StoreOptions { ServiceUrl = serviceUrl, Bucket = "uploads", UnsignedPayloadOverHttps = configured };
        using var client = S3ClientFactory.Create(new S3StoreOptions { ServiceUrl = "http://127.0.0.1:9", AccessKey = "k", SecretKey = "s" });

        var bucket = new S3Bucket(client, Options.Create(options), Options.Create(new TusProtocolOptions()));

        Assert.Equal(expected, bucket.UnsignedPayload);
    }
}
