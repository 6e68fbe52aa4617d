using System.Net.Security;
using Microsoft.Extensions.Options;
using TusCluster.Backends;

namespace TusCluster.UploadService.Https;

/// <summary>
/// Serves the certificate of the PEM files and picks up a new pair when the files change.
/// </summary>
/// <remarks>
/// Why polling by content, not a file watcher: a Kubernetes Secret volume (what cert-manager updates)
/// is a directory of symlinks (tls.crt -> ..data/tls.crt) where ..data is itself a symlink that the
/// kubelet swaps atomically to a new timestamped directory. inotify watches (FileSystemWatcher,
/// IFileProvider) follow inodes: a watch on the file keeps watching the old directory and never fires,
/// and a watch on the directory depends on the exact rename sequence, on the mount type and on the
/// inotify limits of the node. Reading both files every <see cref="HttpsOptions.ReloadInterval"/>
/// resolves the symlinks afresh each time and compares a hash of their bytes, so it sees any way of
/// replacing them (symlink swap, rename, in-place write, a copy that keeps the timestamps) and costs
/// two small reads per interval, never anything on the handshake path. The kubelet itself applies a
/// Secret change up to a minute or so late, so a few seconds of polling adds little.
/// A pair that does not check out (half written, key of another certificate) is never served: the
/// current certificate stays and a warning names the problem once; the next good pair replaces it.
/// </remarks>
internal sealed class CertificateReloader : BackgroundService
{
    private readonly HttpsOptions _options;
    private readonly ILogger<CertificateReloader> _logger;
    private volatile ServerCertificate _current;
    private byte[]? _rejected;
    private string? _lastProblem;

    public CertificateReloader(IOptions<HttpsOptions> options, ILogger<CertificateReloader> logger)
    {
        _options = options.Value;
        _logger = logger;

        // The start-up validation has loaded the pair already; failing here means it changed since.
        if (!ServerCertificate.TryLoad(_options, out var certificate, out var error))
        {
            throw new ConfigurationException(error);
        }

        _current = certificate;
        _logger.LogInformation("HTTPS certificate {Certificate} loaded from {CertificateFile}", certificate.Description, _options.CertificateFile);
        WarnIfOutsideValidity(certificate);
    }

    public ServerCertificate Current => _current;

    /// <summary>Called by Kestrel for each TLS handshake (after its own settings are applied).</summary>
    /// <remarks>
    /// Kestrel's ServerCertificateSelector can return only the leaf certificate; setting the context
    /// instead sends the intermediates of the file too, which clients need for cert-manager's CA chains.
    /// SslStream refuses a selection callback next to a context, so the callback is removed.
    /// </remarks>
    public void Apply(SslServerAuthenticationOptions options)
    {
        options.ServerCertificateSelectionCallback = null;
        options.ServerCertificate = null;
        options.ServerCertificateContext = _current.Context;
    }

    /// <summary>Reads the files once and switches to a new, valid pair; never throws.</summary>
    public void Reload()
    {
        try
        {
            if (!PemFiles.TryRead(_options, out var files, out var error))
            {
                Reject(null, error);
                return;
            }

            if (files.Fingerprint.AsSpan().SequenceEqual(_current.Fingerprint) || files.Fingerprint.AsSpan().SequenceEqual(_rejected))
            {
                return;
            }

            if (!ServerCertificate.TryCreate(_options, files, out var certificate, out error))
            {
                Reject(files.Fingerprint, error);
                return;
            }

            // The previous certificate is left to the garbage collector: a handshake may be using it right now.
            _current = certificate;
            _rejected = null;
            _lastProblem = null;
            _logger.LogInformation("HTTPS certificate {Certificate} loaded from {CertificateFile}; new connections use it", certificate.Description, _options.CertificateFile);
            WarnIfOutsideValidity(certificate);
        }
#pragma warning disable CA1031 // A failed reload must never stop the host: the current certificate goes on serving.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _logger.LogWarning(e, "Reading the HTTPS certificate files failed; still serving {Certificate}", _current.Description);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReloadInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Reload();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Reject(byte[]? fingerprint, string error)
    {
        // Once per problem: files that stay broken are not reported every interval.
        if (error != _lastProblem)
        {
            _logger.LogWarning("The new HTTPS certificate files are not usable, still serving {Certificate}: {Problem}", _current.Description, error);
        }

        _rejected = fingerprint;
        _lastProblem = error;
    }

    private void WarnIfOutsideValidity(ServerCertificate certificate)
    {
        var now = DateTime.UtcNow;
        if (now > certificate.Certificate.NotAfter.ToUniversalTime() || now < certificate.Certificate.NotBefore.ToUniversalTime())
        {
            _logger.LogWarning("HTTPS certificate {Certificate} is outside its validity period (from {NotBefore:u}); clients will refuse it", certificate.Description, certificate.Certificate.NotBefore.ToUniversalTime());
        }
    }
}
