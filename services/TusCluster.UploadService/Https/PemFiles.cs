using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace TusCluster.UploadService.Https;

/// <summary>
/// The certificate and key files as read at one moment, with a fingerprint of their bytes. The
/// certificate is built from this text, never by opening the files a second time, so what is
/// checked is what is served.
/// </summary>
internal sealed class PemFiles
{
    /// <summary>A PEM chain or key is a few KiB; anything larger is not one.</summary>
    public const int MaxFileSize = 1024 * 1024;

    private PemFiles(string certificatePem, string keyPem, byte[] fingerprint)
    {
        CertificatePem = certificatePem;
        KeyPem = keyPem;
        Fingerprint = fingerprint;
    }

    public string CertificatePem { get; }

    /// <summary>The key file's text, or the certificate file's when no key file is configured.</summary>
    public string KeyPem { get; }

    /// <summary>SHA-256 over both files' bytes: equal fingerprints, nothing to reload.</summary>
    public byte[] Fingerprint { get; }

    public static bool TryRead(HttpsOptions options, [NotNullWhen(true)] out PemFiles? files, [NotNullWhen(false)] out string? error)
    {
        files = null;
        if (!TryReadFile($"{HttpsOptions.SectionName}:CertificateFile", options.CertificateFile!, out var certificate, out error))
        {
            return false;
        }

        var key = certificate;
        if (!string.IsNullOrWhiteSpace(options.KeyFile) && !TryReadFile($"{HttpsOptions.SectionName}:KeyFile", options.KeyFile, out key, out error))
        {
            return false;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(certificate);
        hash.AppendData([0]);
        hash.AppendData(key);
        files = new PemFiles(Encoding.UTF8.GetString(certificate), Encoding.UTF8.GetString(key), hash.GetHashAndReset());
        return true;
    }

    private static bool TryReadFile(string setting, string path, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length > MaxFileSize)
            {
                error = $"{setting} '{path}' has {stream.Length} bytes; a PEM file is at most {MaxFileSize}.";
                return false;
            }

            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            error = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"{setting} '{path}' cannot be read: {e.Message}";
            return false;
        }
    }
}
