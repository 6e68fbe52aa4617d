using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace TusCluster.Operator.Kubernetes;

/// <summary>
/// Reads a kubeconfig file: the chosen (or current) context's cluster and user. Supports certificate
/// authorities, client certificates and tokens (inline or as files); exec and auth-provider plugins are not.
/// </summary>
internal static class KubeconfigLoader
{
    public static string DefaultPath() =>
        Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");

    public static KubernetesConnection Load(string path, string? contextName = null)
    {
        var stream = new YamlStream();
        using (var reader = new StreamReader(path)) stream.Load(reader);
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidDataException($"{path} is not a kubeconfig file.");
        }

        var baseDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        contextName ??= Scalar(root, "current-context") ?? throw new InvalidDataException($"{path} has no current-context.");
        var context = Named(root, "contexts", contextName, "context");
        var cluster = Named(root, "clusters", Scalar(context, "cluster") ?? throw new InvalidDataException($"Context '{contextName}' names no cluster."), "cluster");
        var userName = Scalar(context, "user");
        var user = userName is null ? new YamlMappingNode() : Named(root, "users", userName, "user");
        if (user.Children.ContainsKey("exec") || user.Children.ContainsKey("auth-provider"))
        {
            throw new NotSupportedException($"User '{userName}' uses an exec or auth-provider plugin; use a token or a client certificate.");
        }

        var authorities = new X509Certificate2Collection();
        if (Bytes(cluster, "certificate-authority-data", "certificate-authority", baseDirectory) is { } caPem)
        {
            authorities.ImportFromPem(Encoding.ASCII.GetString(caPem));
        }

        X509Certificate2? clientCertificate = null;
        var certPem = Bytes(user, "client-certificate-data", "client-certificate", baseDirectory);
        var keyPem = Bytes(user, "client-key-data", "client-key", baseDirectory);
        if (certPem is not null && keyPem is not null)
        {
            clientCertificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(certPem), Encoding.ASCII.GetString(keyPem));
        }

        Func<string?> token = () => null;
        if (Scalar(user, "token") is { } inline) token = () => inline;
        else if (Scalar(user, "tokenFile") is { } tokenFile) token = new RotatingTokenFile(Path.Combine(baseDirectory, tokenFile), TimeSpan.FromMinutes(1)).Read;

        return new KubernetesConnection
        {
            Server = new Uri(Scalar(cluster, "server") ?? throw new InvalidDataException($"Cluster of context '{contextName}' has no server.")),
            CertificateAuthorities = authorities,
            SkipTlsVerify = string.Equals(Scalar(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
            ClientCertificate = clientCertificate,
            Token = token,
            Namespace = Scalar(context, "namespace"),
        };
    }

    private static YamlMappingNode Named(YamlMappingNode root, string listKey, string name, string innerKey)
    {
        if (root.Children.TryGetValue(new YamlScalarNode(listKey), out var list) && list is YamlSequenceNode items)
        {
            foreach (var item in items.OfType<YamlMappingNode>())
            {
                if (Scalar(item, "name") == name && item.Children.TryGetValue(new YamlScalarNode(innerKey), out var inner) && inner is YamlMappingNode mapping)
                {
                    return mapping;
                }
            }
        }

        throw new InvalidDataException($"kubeconfig has no {innerKey} named '{name}'.");
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;

    private static byte[]? Bytes(YamlMappingNode node, string dataKey, string fileKey, string baseDirectory)
    {
        if (Scalar(node, dataKey) is { Length: > 0 } data) return Convert.FromBase64String(data);
        if (Scalar(node, fileKey) is { Length: > 0 } file) return File.ReadAllBytes(Path.Combine(baseDirectory, file));
        return null;
    }
}
