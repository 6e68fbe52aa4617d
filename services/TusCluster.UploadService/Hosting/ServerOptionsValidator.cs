using Microsoft.Extensions.Options;

namespace TusCluster.UploadService.Hosting;

internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>, IValidateOptions<CorsOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var errors = new List<string>();
        foreach (var url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                errors.Add($"Tus:Server:Urls has '{url}', which is not an http(s) listen address such as http://0.0.0.0:8080.");
            }
        }

        Positive(errors, "MaxConcurrentConnections", options.MaxConcurrentConnections);
        Positive(errors, "MaxRequestBodySize", options.MaxRequestBodySize);
        Positive(errors, "MaxRequestHeadersTotalSize", options.MaxRequestHeadersTotalSize);
        Positive(errors, "KeepAliveTimeout", options.KeepAliveTimeout);
        Positive(errors, "RequestHeadersTimeout", options.RequestHeadersTimeout);
        if (options.MinRequestBodyDataRate <= 0)
        {
            errors.Add($"Tus:Server:MinRequestBodyDataRate must be positive bytes per second (got {options.MinRequestBodyDataRate}).");
        }

        // Kestrel refuses a grace period of one second or less.
        if (options.MinRequestBodyDataRateGracePeriod <= TimeSpan.FromSeconds(1))
        {
            errors.Add($"Tus:Server:MinRequestBodyDataRateGracePeriod must be longer than one second (got {options.MinRequestBodyDataRateGracePeriod}).");
        }
        Positive(errors, "CommitGracePeriod", options.CommitGracePeriod);
        if (options.DrainPeriod < TimeSpan.Zero)
        {
            errors.Add($"Tus:Server:DrainPeriod must not be negative (got {options.DrainPeriod}).");
        }

        if (!ServerOptionsLimits.IsValidReceiveBlockSize(options.ReceiveBlockSize))
        {
            errors.Add($"Tus:Server:ReceiveBlockSize must be {ServerOptionsLimits.MinReceiveBlockSize}-{ServerOptionsLimits.MaxReceiveBlockSize} bytes (got {options.ReceiveBlockSize}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public ValidateOptionsResult Validate(string? name, CorsOptions options)
    {
        var errors = new List<string>();
        foreach (var origin in options.AllowedOrigins ?? [])
        {
            if (origin != "*" && (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || origin.EndsWith('/')))
            {
                errors.Add($"Tus:Cors:AllowedOrigins has '{origin}'; an origin is scheme://host[:port] without a path, or *.");
            }
        }

        if (options.AllowCredentials && (options.AllowedOrigins ?? []).Contains("*"))
        {
            errors.Add("Tus:Cors:AllowCredentials cannot be used with the origin *; list the origins.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"Tus:Server:{name} must be positive (got {value}).");
        }
    }

    private static void Positive(List<string> errors, string name, long? value)
    {
        if (value is <= 0)
        {
            errors.Add($"Tus:Server:{name} must be positive (got {value}).");
        }
    }
}
