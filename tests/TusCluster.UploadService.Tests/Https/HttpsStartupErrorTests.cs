namespace TusCluster.UploadService.Tests.Https;

public sealed class HttpsStartupErrorTests
{
    [Fact]
    public async Task A_missing_certificate_file_is_named_and_the_service_exits_with_2()
    {
        using var data = new TemporaryDirectory();
        var missing = Path.Combine(data.Path, "absent", "tls.crt");

        var output = await StartExpectingExit2Async(data, $"--Tus:Server:Https:CertificateFile={missing}", $"--Tus:Server:Https:KeyFile={missing}.key");

        Assert.Contains($"Tus:Server:Https:CertificateFile '{missing}' cannot be read", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_of_another_certificate_is_refused_with_exit_code_2()
    {
        using var data = new TemporaryDirectory();
        var certificate = TestCertificate.Create("served");
        var other = TestCertificate.Create("other");
        using var volume = new SecretVolume(certificate.CertificatePem, other.KeyPem);

        var output = await StartExpectingExit2Async(data, $"--Tus:Server:Https:CertificateFile={volume.CertificateFile}", $"--Tus:Server:Https:KeyFile={volume.KeyFile}");

        Assert.Contains($"Tus:Server:Https:KeyFile '{volume.KeyFile}' has no private key that matches the certificate", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreadable_key_is_refused_with_exit_code_2()
    {
        using var data = new TemporaryDirectory();
        var certificate = TestCertificate.Create("served");
        using var volume = new SecretVolume(certificate.CertificatePem, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");

        var output = await StartExpectingExit2Async(data, $"--Tus:Server:Https:CertificateFile={volume.CertificateFile}", $"--Tus:Server:Https:KeyFile={volume.KeyFile}");

        Assert.Contains($"Tus:Server:Https:KeyFile '{volume.KeyFile}'", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_https_address_without_a_certificate_is_refused_with_exit_code_2()
    {
        using var data = new TemporaryDirectory();

        var output = await StartExpectingExit2Async(data, $"--urls=https://127.0.0.1:{FreePort.Next()}");

        Assert.Contains("An https:// listen address needs a certificate", output, StringComparison.Ordinal);
    }

    private static async Task<string> StartExpectingExit2Async(TemporaryDirectory data, params string[] arguments)
    {
        // The https listener goes beside the plain one ServiceProcess picks, unless an argument replaces --urls.
        string[] all = arguments.Any(a => a.StartsWith("--urls", StringComparison.Ordinal))
            ? arguments
            : [.. arguments, $"--Tus:Server:Https:Port={FreePort.Next()}"];
        await using var service = ServiceProcess.Start(data.Path, all);
        Assert.Equal(2, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("Invalid configuration", service.Output, StringComparison.Ordinal);
        return service.Output;
    }
}
