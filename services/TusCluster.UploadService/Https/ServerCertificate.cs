using System.Diagnostics.CodeAnalysis;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace TusCluster.UploadService.Https;

/// <summary>A certificate with its private key and its chain, ready for TLS handshakes.</summary>
internal sealed class ServerCertificate
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    private ServerCertificate(X509Certificate2 certificate, SslStreamCertificateContext context, byte[] fingerprint)
    {
        Certificate = certificate;
        Context = context;
        Fingerprint = fingerprint;
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate with the intermediates from the certificate file, sent to clients in each handshake.</summary>
    public SslStreamCertificateContext Context { get; }

    /// <summary>Of the files it was made from (<see cref="PemFiles.Fingerprint"/>).</summary>
    public byte[] Fingerprint { get; }

    public string Description => $"{Certificate.Subject} (thumbprint {Certificate.Thumbprint}, valid until {Certificate.NotAfter.ToUniversalTime():u})";

    /// <summary>Checks the pair (a certificate, a key that matches it, usable for servers) and builds it.</summary>
    public static bool TryCreate(HttpsOptions options, PemFiles files, [NotNullWhen(true)] out ServerCertificate? created, [NotNullWhen(false)] out string? error)
    {
        created = null;
        var certificateSetting = $"{HttpsOptions.SectionName}:CertificateFile '{options.CertificateFile}'";
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(files.CertificatePem);
        }
        catch (CryptographicException e)
        {
            error = $"{certificateSetting} has a malformed certificate: {e.Message}";
            return false;
        }

        if (chain.Count == 0)
        {
            error = $"{certificateSetting} has no PEM certificate (-----BEGIN CERTIFICATE-----).";
            return false;
        }

        X509Certificate2 certificate;
        try
        {
            // The first certificate of the file with the key; the rest of the file is its chain. A key of
            // another certificate throws ArgumentException, a malformed or missing one CryptographicException.
            certificate = X509Certificate2.CreateFromPem(files.CertificatePem, files.KeyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            var keySetting = string.IsNullOrWhiteSpace(options.KeyFile)
                ? certificateSetting + " (no KeyFile set, so the key is expected in it)"
                : $"{HttpsOptions.SectionName}:KeyFile '{options.KeyFile}'";
            error = $"{keySetting} has no private key that matches the certificate: {e.Message}";
            return false;
        }

        if (certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault() is { } usages
            && !usages.EnhancedKeyUsages.Cast<Oid>().Any(u => u.Value == ServerAuthentication))
        {
            error = $"{certificateSetting} is not for servers: its extended key usage lacks serverAuth ({ServerAuthentication}).";
            return false;
        }

        try
        {
            // Offline: never fetch missing intermediates from the network during a reload.
            var context = SslStreamCertificateContext.Create(certificate, [.. chain.Skip(1)], offline: true);
            created = new ServerCertificate(certificate, context, files.Fingerprint);
            error = null;
            return true;
        }
        catch (CryptographicException e)
        {
            error = $"{certificateSetting} cannot be used for TLS: {e.Message}";
            return false;
        }
    }

    /// <summary>Reads the files and builds the certificate (start-up check and reloads share this path).</summary>
    public static bool TryLoad(HttpsOptions options, [NotNullWhen(true)] out ServerCertificate? created, [NotNullWhen(false)] out string? error)
    {
        created = null;
        return PemFiles.TryRead(options, out var files, out error) && TryCreate(options, files, out created, out error);
    }
}
