namespace TusCluster.UploadService.Https;

/// <summary>
/// The HTTPS certificate, bound from <c>Tus:Server:Https</c>: PEM files re-read while the service runs,
/// so a rotated Kubernetes Secret (cert-manager) takes effect without a restart.
/// </summary>
public sealed class HttpsOptions
{
    public const string SectionName = "Tus:Server:Https";

    /// <summary>PEM certificate, optionally followed by its intermediates (cert-manager's tls.crt).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted); not set: the key is in <see cref="CertificateFile"/>.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Adds an https listener on this port (host of the first listen address) to the configured addresses.</summary>
    public int? Port { get; set; }

    /// <summary>How often the files are read again to notice a rotation.</summary>
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(CertificateFile) || !string.IsNullOrWhiteSpace(KeyFile) || Port is not null;
}
