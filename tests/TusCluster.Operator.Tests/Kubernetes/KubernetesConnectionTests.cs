using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TusCluster.Operator.Kubernetes;
using TusCluster.Operator.Tests.Fakes;

namespace TusCluster.Operator.Tests.Kubernetes;

/// <summary>TLS against a cluster CA, client certificates and service-account files, over real HTTPS.</summary>
public sealed class KubernetesConnectionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("serviceaccount-").FullName;

    [Fact]
    public async Task The_server_certificate_must_chain_to_the_cluster_CA_and_the_client_certificate_is_sent()
    {
        using var caKey = RSA.Create(2048);
        using var ca = CreateCa(caKey);
        using var server = Issue(ca, caKey, "CN=kube-apiserver", server: true);
        using var client = Issue(ca, caKey, "CN=operator", server: false);
        await using var fake = await FakeKubernetesApiServer.StartAsync(server);
        fake.CreateTusServer("media", "uploads", TestServers.RedisOnS3());

        using var trusting = new KubernetesApiClient(new KubernetesConnection { Server = fake.BaseAddress, CertificateAuthorities = [ca], ClientCertificate = client, Token = () => "tok" });
        var found = await trusting.GetAsync(ResourceKind.TusServer, "media", "uploads", TestContext.Current.CancellationToken);
        Assert.Equal("uploads", (string?)found!["metadata"]!["name"]);
        Assert.Equal("CN=operator", fake.LastClientCertificateSubject);
        Assert.Equal("Bearer tok", fake.LastAuthorization);

        using var otherKey = RSA.Create(2048);
        using var otherCa = CreateCa(otherKey);
        using var distrusting = new KubernetesApiClient(new KubernetesConnection { Server = fake.BaseAddress, CertificateAuthorities = [otherCa] });
        await Assert.ThrowsAsync<HttpRequestException>(() => distrusting.GetAsync(ResourceKind.TusServer, "media", "uploads", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task In_cluster_files_give_the_server_CA_namespace_and_a_token_that_is_reread()
    {
        using var caKey = RSA.Create(2048);
        using var ca = CreateCa(caKey);
        using var server = Issue(ca, caKey, "CN=kubernetes", server: true);
        await using var fake = await FakeKubernetesApiServer.StartAsync(server);
        fake.CreateTusServer("media", "uploads", TestServers.RedisOnS3());
        await File.WriteAllTextAsync(Path.Combine(_directory, "ca.crt"), ca.ExportCertificatePem(), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_directory, "token"), "first\n", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(_directory, "namespace"), "tuscluster-system", TestContext.Current.CancellationToken);

        var connection = InClusterConfig.Load(_directory, "127.0.0.1", fake.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var api = new KubernetesApiClient(connection);
        Assert.NotNull(await api.GetAsync(ResourceKind.TusServer, "media", "uploads", TestContext.Current.CancellationToken));

        Assert.Equal("tuscluster-system", connection.Namespace);
        Assert.Equal("Bearer first", fake.LastAuthorization);
        Assert.Equal(new Uri($"https://127.0.0.1:{fake.BaseAddress.Port}"), connection.Server);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static X509Certificate2 CreateCa(RSA key)
    {
        var request = new CertificateRequest("CN=test-cluster-ca", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, RSA caKey, string subject, bool server)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var usage = new OidCollection { new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2") };
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usage, false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        using var issued = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForRSA(caKey, RSASignaturePadding.Pkcs1), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(12), serial);
        // Kestrel and SslStream need the private key attached and exportable on Linux.
        return X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pfx), null);
    }
}
