using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace TusCluster.Operator.Kubernetes;

/// <summary>
/// The HTTP handler for the API server: client certificate, and server certificates checked against the
/// cluster's CA only (a cluster CA is usually not in the system trust store).
/// </summary>
internal static class KubernetesHttpHandler
{
    public static SocketsHttpHandler Create(KubernetesConnection connection)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) };
        if (connection.ClientCertificate is { } certificate) handler.SslOptions.ClientCertificates = [certificate];
        if (connection.SkipTlsVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (connection.CertificateAuthorities.Count > 0)
        {
            var roots = connection.CertificateAuthorities;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                ValidateAgainst(roots, certificate as X509Certificate2, errors);
        }

        return handler;
    }

    private static bool ValidateAgainst(X509Certificate2Collection roots, X509Certificate2? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
