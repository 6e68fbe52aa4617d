using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TusCluster.UploadService.Tests.Protocol;

namespace TusCluster.UploadService.Tests.Https;

public sealed class CertificateRotationTests
{
    [Fact]
    public async Task A_tus_upload_runs_over_https_and_new_connections_get_the_rotated_certificate()
    {
        var first = TestCertificate.Create("first");
        using var volume = new SecretVolume(first.CertificatePem, first.KeyPem);
        await using var service = await TusServiceInstance.StartAsync(Arguments(volume));
        Assert.Equal("https", service.BaseAddress.Scheme);

        using (var client = TlsProbe.PinnedClient(first.Thumbprint))
        {
            await UploadAndReadBackAsync(client, service.FilesUrl);
        }

        var second = TestCertificate.Create("second");
        volume.Write(second.CertificatePem, second.KeyPem);
        await Eventually.HoldsAsync(
            async () => await TlsProbe.ThumbprintAsync(service.BaseAddress) == second.Thumbprint,
            "new connections to be shown the rotated certificate");

        using var rotated = TlsProbe.PinnedClient(second.Thumbprint);
        await UploadAndReadBackAsync(rotated, service.FilesUrl);
    }

    [Fact]
    public async Task An_invalid_new_pair_keeps_the_old_certificate_serving_until_a_valid_pair_arrives()
    {
        var logs = new CapturedLogs();
        var first = TestCertificate.Create("first");
        var second = TestCertificate.Create("second");
        using var volume = new SecretVolume(first.CertificatePem, first.KeyPem);
        await using var service = await TusServiceInstance.StartAsync(Arguments(volume), services => services.AddSingleton<ILoggerProvider>(logs));
        using var client = TlsProbe.PinnedClient(first.Thumbprint);

        // The new certificate with the old key: a pair that does not match.
        volume.Write(second.CertificatePem, first.KeyPem);
        await Eventually.HoldsAsync(() => Warnings(logs).Any(w => w.Contains("no private key that matches", StringComparison.Ordinal)), "a warning about the mismatched pair");
        Assert.Equal(first.Thumbprint, await TlsProbe.ThumbprintAsync(service.BaseAddress));
        await UploadAndReadBackAsync(client, service.FilesUrl);

        // A half-written certificate file.
        volume.Write(second.CertificatePem[..(second.CertificatePem.Length / 2)], second.KeyPem);
        await Eventually.HoldsAsync(() => Warnings(logs).Any(w => w.Contains("no PEM certificate", StringComparison.Ordinal)), "a warning about the truncated certificate");
        Assert.Equal(first.Thumbprint, await TlsProbe.ThumbprintAsync(service.BaseAddress));
        await UploadAndReadBackAsync(client, service.FilesUrl);

        volume.Write(second.CertificatePem, second.KeyPem);
        await Eventually.HoldsAsync(
            async () => await TlsProbe.ThumbprintAsync(service.BaseAddress) == second.Thumbprint,
            "the valid pair to be served once it arrived");
        Assert.Equal(2, Warnings(logs).Count);
    }

    [Fact]
    public async Task Https_port_listens_beside_the_http_addresses()
    {
        var certificate = TestCertificate.Create("beside");
        using var volume = new SecretVolume(certificate.CertificatePem, certificate.KeyPem);
        var port = FreePort.Next();
        await using var service = await TusServiceInstance.StartAsync(
            [$"--Tus:Server:Https:CertificateFile={volume.CertificateFile}", $"--Tus:Server:Https:KeyFile={volume.KeyFile}", $"--Tus:Server:Https:Port={port}"]);

        Assert.Equal("http", service.BaseAddress.Scheme);
        await UploadAndReadBackAsync(service.Client, service.FilesUrl);
        using var client = TlsProbe.PinnedClient(certificate.Thumbprint);
        await UploadAndReadBackAsync(client, new Uri($"https://127.0.0.1:{port}/files/"));
    }

    [Fact]
    public async Task The_intermediates_of_the_certificate_file_are_sent_with_the_certificate()
    {
        var certificate = TestCertificate.CreateWithIntermediate("chained");
        using var volume = new SecretVolume(certificate.CertificatePem, certificate.KeyPem);
        await using var service = await TusServiceInstance.StartAsync(Arguments(volume));

        var presented = await TlsProbe.PresentedAsync(service.BaseAddress);

        Assert.Equal(certificate.Thumbprint, presented[0]);
        Assert.Contains(certificate.IntermediateThumbprint, presented.Skip(1));
    }

    private static string[] Arguments(SecretVolume volume) =>
    [
        "--urls=https://127.0.0.1:0",
        $"--Tus:Server:Https:CertificateFile={volume.CertificateFile}",
        $"--Tus:Server:Https:KeyFile={volume.KeyFile}",
        "--Tus:Server:Https:ReloadInterval=00:00:00.100",
    ];

    private static List<string> Warnings(CapturedLogs logs) =>
        [.. logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Category.EndsWith("CertificateReloader", StringComparison.Ordinal)).Select(e => e.Text)];

    private static async Task UploadAndReadBackAsync(HttpClient client, Uri files)
    {
        var data = Tus.RandomBytes(300_000);
        var upload = await Tus.UploadAsync(client, files, data, chunkSize: 100_000);
        Assert.Equal(files.GetLeftPart(UriPartial.Authority), upload.GetLeftPart(UriPartial.Authority));
        Assert.Equal(data.Length, await Tus.OffsetAsync(client, upload));
        Assert.Equal(data, await client.GetByteArrayAsync(upload, TestContext.Current.CancellationToken));
    }
}
