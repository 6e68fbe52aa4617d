using Microsoft.Extensions.Options;

namespace TusCluster.Coordination.Etcd;

/// <summary>Start-up validation of <see cref="EtcdCoordinationOptions"/>: every problem, each naming its setting.</summary>
internal sealed class EtcdCoordinationOptionsValidator : IValidateOptions<EtcdCoordinationOptions>
{
    private const string Section = EtcdCoordinationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, EtcdCoordinationOptions options)
    {
        var problems = new List<string>();
        foreach (var endpoint in options.EffectiveEndpoints)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                problems.Add($"{Section}:Endpoints: '{endpoint}' is not an http(s) URL without a path, like http://127.0.0.1:2379.");
            }
        }

        if (string.IsNullOrEmpty(options.KeyPrefix) || !options.KeyPrefix.EndsWith('/'))
        {
            problems.Add($"{Section}:KeyPrefix must be a non-empty prefix ending with '/', like /tus/.");
        }

        if (options.LeaseTtl < TimeSpan.FromSeconds(2) || options.LeaseTtl.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            problems.Add($"{Section}:LeaseTtl must be a whole number of seconds, at least 00:00:02.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:RequestTimeout must be positive.");
        }

        if (string.IsNullOrEmpty(options.Username) && !string.IsNullOrEmpty(options.Password))
        {
            problems.Add($"{Section}:Password is set without {Section}:Username.");
        }

        if (!string.IsNullOrEmpty(options.Username) && string.IsNullOrWhiteSpace(options.Password))
        {
            // dotnet-etcd refuses credentials without a password (and etcd 3.4 users have one).
            problems.Add($"{Section}:Username is set without {Section}:Password.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
