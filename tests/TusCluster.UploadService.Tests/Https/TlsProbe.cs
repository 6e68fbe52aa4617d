using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace TusCluster.UploadService.Tests.Https;

internal static class TlsProbe
{
    /// <summary>The thumbprint of the certificate a new TLS connection to <paramref name="address"/> is shown.</summary>
    public static async Task<string?> ThumbprintAsync(Uri address) => (await PresentedAsync(address)).FirstOrDefault();

    /// <summary>The thumbprints of the certificate and of the chain certificates the server sends, in that order.</summary>
    public static async Task<List<string>> PresentedAsync(Uri address)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, TestContext.Current.CancellationToken);
        List<string> seen = [];
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, chain, _) =>
        {
            // SslStream puts the certificates the server sent besides its own into the chain's extra store.
            seen = [.. (string[])[certificate?.GetCertHashString() ?? string.Empty], .. (chain?.ChainPolicy.ExtraStore ?? []).Select(c => c.Thumbprint)];
            return true;
        });
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, TestContext.Current.CancellationToken);
        return seen;
    }

    /// <summary>An HttpClient that trusts exactly the certificate with <paramref name="thumbprint"/>.</summary>
    public static HttpClient PinnedClient(string thumbprint)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate presented && presented.GetCertHashString() == thumbprint,
            },
        };
        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }
}
