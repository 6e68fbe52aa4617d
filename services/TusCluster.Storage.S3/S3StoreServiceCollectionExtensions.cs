using System.Text.RegularExpressions;
using Amazon.S3;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.S3;

public static partial class S3StoreServiceCollectionExtensions
{
    private const string Section = S3StoreOptions.SectionName;

    public static IServiceCollection AddS3UploadStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<S3StoreOptions>().Bind(configuration.GetSection(Section))
            .Validate(o => BucketName().IsMatch(o.Bucket ?? string.Empty) && !o.Bucket!.Contains("..", StringComparison.Ordinal),
                $"{Section}:Bucket must be a bucket name: 3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit.")
            .Validate(o => string.IsNullOrEmpty(o.ServiceUrl)
                    || (Uri.TryCreate(o.ServiceUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)),
                $"{Section}:ServiceUrl must be empty (AWS) or an absolute http(s) URL.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Region), $"{Section}:Region must name a region (for example us-east-1).")
            .Validate(o => o.KeyPrefix is not null && o.KeyPrefix.Length <= 512 && !o.KeyPrefix.StartsWith('/') && !o.KeyPrefix.Any(char.IsControl),
                $"{Section}:KeyPrefix must be at most 512 characters, without control characters, and must not start with '/'.")
            .Validate(o => o.PartSize is >= S3StoreOptions.MinimumPartSize and <= S3StoreOptions.MaximumPartSize,
                $"{Section}:PartSize must be between 5242880 (5 MiB, the S3 minimum) and 1073741824 (1 GiB).")
            .Validate(o => o.MaxConcurrentPartUploads is >= 1 and <= 16, $"{Section}:MaxConcurrentPartUploads must be between 1 and 16.")
            .Validate(o => string.IsNullOrEmpty(o.AccessKey) == string.IsNullOrEmpty(o.SecretKey),
                $"{Section}:AccessKey and {Section}:SecretKey must be set together (or both left empty for the default AWS credential chain).")
            .ValidateOnStart();
        services.AddSingleton<IAmazonS3>(provider => S3ClientFactory.Create(provider.GetRequiredService<IOptions<S3StoreOptions>>().Value));
        services.AddSingleton<S3Bucket>();
        services.AddSingleton<S3UploadStore>();
        services.AddSingleton<IUploadStore>(provider => provider.GetRequiredService<S3UploadStore>());
        services.AddSingleton<IUploadInventory, S3UploadInventory>();
        services.AddHostedService<BucketInitializer>();
        return services;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex BucketName();
}
