using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TusCluster.Operator.Hosting;
using TusCluster.Operator.Kubernetes;
using TusCluster.Operator.Tests.Fakes;

namespace TusCluster.Operator.Tests.Kubernetes;

/// <summary>
/// The operator's connection as KubernetesClient builds it from a kubeconfig: the cluster CA, the client
/// certificate, the bearer token and an exec credential plugin, over real HTTPS and HTTP to the fake API server.
/// </summary>
public sealed class ClusterConfigurationTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kubeconfig-").FullName;

    [Fact]
    public async Task The_server_certificate_must_chain_to_the_cluster_CA_and_the_client_certificate_and_token_are_sent()
    {
        using var caKey = RSA.Create(2048);
        using var ca = CreateCa(caKey);
        using var server = Issue(ca, caKey, "CN=kube-apiserver", server: true);
        using var client = Issue(ca, caKey, "CN=operator", server: false);
        await using var fake = await FakeKubernetesApiServer.StartAsync(server);
        fake.CreateTusServer("media", "uploads", TestServers.RedisOnS3());

        var trusted = Kubeconfig("trusted", fake.BaseAddress, ca, $"""
            client-certificate-data: {Base64(client.ExportCertificatePem())}
                  client-key-data: {Base64(client.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem())}
                  token: tok
            """);
        var configuration = ClusterConfiguration.Load(new OperatorOptions { Kubeconfig = trusted });
        Assert.Equal("media", configuration.Namespace);
        using var trusting = new k8s.Kubernetes(configuration);
        var found = await new ClusterApi(trusting).GetTusServerAsync("media", "uploads", TestContext.Current.CancellationToken);
        Assert.Equal("uploads", (string?)found!["metadata"]!["name"]);
        Assert.Equal("CN=operator", fake.LastClientCertificateSubject);
        Assert.Equal("Bearer tok", fake.LastAuthorization);

        using var otherKey = RSA.Create(2048);
        using var otherCa = CreateCa(otherKey);
        var distrusted = Kubeconfig("distrusted", fake.BaseAddress, otherCa, "token: tok");
        using var distrusting = new k8s.Kubernetes(ClusterConfiguration.Load(new OperatorOptions { Kubeconfig = distrusted }));
        await Assert.ThrowsAsync<HttpRequestException>(() => new ClusterApi(distrusting).GetTusServerAsync("media", "uploads", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_exec_credential_plugin_provides_the_bearer_token()
    {
        await using var fake = await FakeKubernetesApiServer.StartAsync();
        fake.CreateTusServer("media", "uploads", TestServers.RedisOnS3());
        var credential = """{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}""";
        var plugin = Path.Combine(_directory, "credential-plugin");
        await File.WriteAllTextAsync(plugin, $"#!/bin/sh\necho '{credential}'\n", TestContext.Current.CancellationToken);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(plugin, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(_directory, "exec");
        await File.WriteAllTextAsync(path, $"""
            current-context: fake
            clusters: [{"{"} name: fake, cluster: {"{"} server: "{fake.BaseAddress}" {"}"} {"}"}]
            users:
              - name: plugin
                user:
                  exec:
                    apiVersion: client.authentication.k8s.io/v1
                    command: {plugin}
                    interactiveMode: Never
            contexts: [{"{"} name: fake, context: {"{"} cluster: fake, user: plugin {"}"} {"}"}]
            """, TestContext.Current.CancellationToken);

        using var api = new k8s.Kubernetes(ClusterConfiguration.Load(new OperatorOptions { Kubeconfig = path }));
        Assert.NotNull(await new ClusterApi(api).GetTusServerAsync("media", "uploads", TestContext.Current.CancellationToken));
        Assert.Equal("Bearer from-plugin", fake.LastAuthorization);
    }

    [Fact]
    public void The_context_can_be_chosen_and_a_missing_file_or_context_is_a_kubeconfig_error()
    {
        var path = Path.Combine(_directory, "contexts");
        File.WriteAllText(path, """
            current-context: a
            clusters: [{ name: c, cluster: { server: "http://127.0.0.1:8001" } }, { name: d, cluster: { server: "http://127.0.0.1:8002" } }]
            users: [{ name: u, user: { token: t } }]
            contexts: [{ name: a, context: { cluster: c, user: u } }, { name: b, context: { cluster: d, user: u, namespace: ops } }]
            """);

        var chosen = ClusterConfiguration.Load(new OperatorOptions { Kubeconfig = path, KubeconfigContext = "b" });
        Assert.StartsWith("http://127.0.0.1:8002", chosen.Host, StringComparison.Ordinal);
        Assert.Equal("ops", chosen.Namespace);
        Assert.Throws<k8s.Exceptions.KubeConfigException>(() => ClusterConfiguration.Load(new OperatorOptions { Kubeconfig = path, KubeconfigContext = "missing" }));
        Assert.Throws<k8s.Exceptions.KubeConfigException>(() => ClusterConfiguration.Load(new OperatorOptions { Kubeconfig = Path.Combine(_directory, "absent") }));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Kubeconfig(string name, Uri server, X509Certificate2 ca, string userFields)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
              - name: dev
                cluster:
                  server: {server}
                  certificate-authority-data: {Base64(ca.ExportCertificatePem())}
            users:
              - name: dev-user
                user:
                  {userFields}
            contexts:
              - name: dev
                context:
                  cluster: dev
                  user: dev-user
                  namespace: media
            """);
        return path;
    }

    private static string Base64(string pem) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(pem));

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
