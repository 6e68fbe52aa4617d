using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace TusCluster.UploadService.Tests.Https;

internal static class TlsProbe
{
    /// <summary>The thumbprint of the certificate a new TLS connection to <paramref name="address"/> is shown.</summary>
    public static async Task<string?> ThumbprintAsync(Uri address)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(address.Host, address.Port, TestContext.Current.CancellationToken);
        string? seen = null;
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, _) =>
        {
            seen = certificate?.GetCertHashString();
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
