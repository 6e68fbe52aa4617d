using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;

namespace TusCluster.S3Client;

/// <summary>
/// The SDK's HTTP clients where a connection needs what the SDK's own cannot give: trust in a private CA
/// (an in-house Ceph RGW or MinIO: the CAs of one PEM file are the only trusted roots, so the endpoint is still
/// verified, by name and chain, just not against the system's public roots), or bodies sent without
/// <c>Expect: 100-continue</c> (see <see cref="S3ClientFactory.Create"/>).
/// </summary>
internal sealed class S3HttpClients(X509Certificate2Collection? authorities, bool expectContinue) : HttpClientFactory
{
    /// <exception cref="InvalidOperationException">The file holds no certificate.</exception>
    public static X509Certificate2Collection ReadAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(path);
        return authorities.Count == 0 ? throw new InvalidOperationException($"{path} holds no PEM certificate.") : authorities;
    }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig)
    {
        ArgumentNullException.ThrowIfNull(clientConfig);

        // The settings the SDK's own handler takes from the client configuration.
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = clientConfig.AllowAutoRedirect,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        if (authorities is not null)
        {
            var chainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,

                // As SslStream does without a chain policy: private CAs rarely publish revocation lists.
                RevocationMode = X509RevocationMode.NoCheck,
            };
            chainPolicy.CustomTrustStore.AddRange(authorities);
            handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = chainPolicy };
        }

        // Without a configured proxy the handler keeps the system's (HTTPS_PROXY), as the SDK's own does.
        if (clientConfig.GetWebProxy() is { } proxy)
        {
            handler.Proxy = proxy;
        }

        if (clientConfig.MaxConnectionsPerServer is { } connections)
        {
            handler.MaxConnectionsPerServer = connections;
        }

        var client = new HttpClient(expectContinue ? handler : new BodyFirstHandler(handler), disposeHandler: true);
        if (clientConfig.Timeout is { } timeout)
        {
            client.Timeout = timeout;
        }

        return client;
    }

    // Cached with the SDK client that uses it, never shared with a client that trusts other CAs.
    public override string? GetConfigUniqueString(IClientConfig clientConfig) => null;

    private sealed class BodyFirstHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.ExpectContinue = false;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
