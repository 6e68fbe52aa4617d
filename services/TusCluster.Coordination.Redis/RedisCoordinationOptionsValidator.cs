using Microsoft.Extensions.Options;
using TusCluster.Coordination.Redis.Connection;

namespace TusCluster.Coordination.Redis;

/// <summary>Start-up validation of <see cref="RedisCoordinationOptions"/>: every problem, each naming its setting.</summary>
internal sealed class RedisCoordinationOptionsValidator : IValidateOptions<RedisCoordinationOptions>
{
    private const string Section = RedisCoordinationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RedisCoordinationOptions options)
    {
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Configuration))
        {
            if (options.Endpoint is not null || !string.IsNullOrEmpty(options.User) || !string.IsNullOrEmpty(options.Password) || options.Database != 0 || options.UseTls)
            {
                problems.Add($"{Section}:Configuration replaces {Section}:Endpoint, User, Password, Database and UseTls: set only one of the two ways " +
                    "(in the configuration string they are host:port entries and user=, password=, defaultDatabase=, ssl=true).");
            }

            if (!RedisConnectionSettings.IsValidConfiguration(options.Configuration, out _))
            {
                problems.Add($"{Section}:Configuration must be a StackExchange.Redis configuration string with at least one endpoint (for example redis-a:26379,redis-b:26379,serviceName=mymaster).");
            }
        }

        if (options.Endpoint is not null && !RedisEndpoint.TryParse(options.Endpoint, out _))
        {
            problems.Add($"{Section}:Endpoint must be host:port (for example 127.0.0.1:6379 or [::1]:6379).");
        }

        if (options.Database < 0)
        {
            problems.Add($"{Section}:Database must be 0 or more.");
        }

        if (options.KeyPrefix is null || options.KeyPrefix.Contains('{', StringComparison.Ordinal) || options.KeyPrefix.Contains('}', StringComparison.Ordinal))
        {
            problems.Add($"{Section}:KeyPrefix must not contain braces (the upload id is the keys' hash tag).");
        }

        if (options.LeaseTtl < TimeSpan.FromMilliseconds(300))
        {
            problems.Add($"{Section}:LeaseTtl must be at least 00:00:00.300.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{Section}:ConnectTimeout must be positive.");
        }

        if (options.CommandTimeout <= TimeSpan.Zero || options.CommandTimeout >= options.LeaseTtl)
        {
            problems.Add($"{Section}:CommandTimeout must be positive and shorter than {Section}:LeaseTtl.");
        }

        if (options.WaitForReplicas is < 0 or > 16)
        {
            problems.Add($"{Section}:WaitForReplicas must be between 0 (off) and 16.");
        }

        if (options.WaitForReplicas != 0 && (options.WaitTimeout <= TimeSpan.Zero || options.WaitTimeout >= options.CommandTimeout))
        {
            problems.Add($"{Section}:WaitTimeout must be positive and shorter than {Section}:CommandTimeout (the WAIT reply itself must arrive within it).");
        }

        if (!string.IsNullOrEmpty(options.User) && string.IsNullOrEmpty(options.Password))
        {
            problems.Add($"{Section}:User needs {Section}:Password.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
