using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using TusCluster.Operator.Kubernetes;

namespace TusCluster.Operator.Tests.Kubernetes;

public sealed class KubeconfigLoaderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kubeconfig-").FullName;

    [Fact]
    public void Reads_the_current_context_with_token_namespace_and_inline_CA()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=test-ca", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var caData = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(ca.ExportCertificatePem()));
        var path = Write($"""
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
              - name: prod
                cluster:
                  server: https://prod.example:6443
              - name: dev
                cluster:
                  server: https://127.0.0.1:6443
                  certificate-authority-data: {caData}
            users:
              - name: dev-user
                user:
                  token: abc.def
            contexts:
              - name: dev
                context:
                  cluster: dev
                  user: dev-user
                  namespace: media
              - name: prod
                context:
                  cluster: prod
                  user: dev-user
            """);

        var connection = KubeconfigLoader.Load(path);

        Assert.Equal(new Uri("https://127.0.0.1:6443"), connection.Server);
        Assert.Equal("abc.def", connection.Token());
        Assert.Equal("media", connection.Namespace);
        Assert.Single(connection.CertificateAuthorities);
        Assert.Equal("CN=test-ca", connection.CertificateAuthorities[0].Subject);
        Assert.Equal(new Uri("https://prod.example:6443"), KubeconfigLoader.Load(path, "prod").Server);
    }

    [Fact]
    public void Token_files_are_read_relative_to_the_kubeconfig_and_exec_plugins_are_refused()
    {
        File.WriteAllText(Path.Combine(_directory, "token"), "from-file\n");
        var path = Write("""
            current-context: a
            clusters: [{ name: c, cluster: { server: "http://127.0.0.1:8001" } }]
            users:
              - { name: file, user: { tokenFile: token } }
              - { name: plugin, user: { exec: { command: aws } } }
            contexts:
              - { name: a, context: { cluster: c, user: file } }
              - { name: b, context: { cluster: c, user: plugin } }
            """);

        Assert.Equal("from-file", KubeconfigLoader.Load(path).Token());
        Assert.Throws<NotSupportedException>(() => KubeconfigLoader.Load(path, "b"));
        Assert.Throws<InvalidDataException>(() => KubeconfigLoader.Load(path, "missing"));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_directory, "config");
        File.WriteAllText(path, text);
        return path;
    }
}
