using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace TusCluster.S3Client;

/// <summary>Start-up checks of the connection settings and the bucket name, each problem naming its setting.</summary>
public static partial class S3ConnectionValidation
{
    /// <param name="section">The configuration section the options were bound from, e.g. <c>Tus:Storage:S3</c>.</param>
    public static void Validate(S3ConnectionOptions options, string section, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(problems);
        if (!string.IsNullOrEmpty(options.ServiceUrl)
            && !(Uri.TryCreate(options.ServiceUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
        {
            problems.Add($"{section}:ServiceUrl must be empty (AWS) or an absolute http(s) URL.");
        }

        if (string.IsNullOrWhiteSpace(options.Region))
        {
            problems.Add($"{section}:Region must name a region (for example us-east-1).");
        }

        if (string.IsNullOrEmpty(options.AccessKey) != string.IsNullOrEmpty(options.SecretKey))
        {
            problems.Add($"{section}:AccessKey and {section}:SecretKey must be set together (or both left empty for the default AWS credential chain).");
        }

        ValidateCaCertificateFile(options.CaCertificateFile, options.ServiceUrl, section, problems);
    }

    /// <summary>A CA file only with an https endpoint, and one that holds certificates.</summary>
    internal static void ValidateCaCertificateFile(string? caCertificateFile, string? serviceUrl, string section, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (string.IsNullOrEmpty(caCertificateFile))
        {
            return;
        }

        if (!IsHttps(serviceUrl))
        {
            problems.Add($"{section}:CaCertificateFile needs an https {section}:ServiceUrl (it names the CA that endpoint's certificate chains to).");
        }
        else if (!HoldsCertificates(caCertificateFile))
        {
            problems.Add($"{section}:CaCertificateFile must name a readable PEM file with at least one CA certificate.");
        }
    }

    public static void ValidateBucket(string? bucket, string section, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (!BucketName().IsMatch(bucket ?? string.Empty) || bucket!.Contains("..", StringComparison.Ordinal))
        {
            problems.Add($"{section}:Bucket must be a bucket name: 3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit.");
        }
    }

    public static void ValidateKeyPrefix(string? keyPrefix, string section, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (keyPrefix is null || keyPrefix.Length > 512 || keyPrefix.StartsWith('/') || keyPrefix.Any(char.IsControl))
        {
            problems.Add($"{section}:KeyPrefix must be at most 512 characters, without control characters, and must not start with '/'.");
        }
    }

    private static bool IsHttps(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps;

    private static bool HoldsCertificates(string path)
    {
        try
        {
            var certificates = new X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            return certificates.Count > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();
}
