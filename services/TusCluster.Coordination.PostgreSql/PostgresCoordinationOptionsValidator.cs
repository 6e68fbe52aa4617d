using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>Start-up validation of <see cref="PostgresCoordinationOptions"/>: every problem, each naming its setting.</summary>
internal sealed partial class PostgresCoordinationOptionsValidator : IValidateOptions<PostgresCoordinationOptions>
{
    private const string Section = PostgresCoordinationOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, PostgresCoordinationOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            problems.Add($"{Section}:ConnectionString is required (for example Host=db;Username=tus;Password=...;Database=tus).");
        }
        else if (!IsConnectionString(options.ConnectionString))
        {
            // Npgsql's own message may quote the string, password included: name the setting only.
            problems.Add($"{Section}:ConnectionString is not an Npgsql connection string with a Host (keywords as in https://www.npgsql.org/doc/connection-string-parameters.html).");
        }

        if (options.Schema is null || !SchemaPattern().IsMatch(options.Schema))
        {
            problems.Add($"{Section}:Schema must be 1-40 characters of a-z, 0-9 and '_', starting with a letter or '_' (it also names the notification channels).");
        }

        // Expiry is judged by the database's clock, but replicas give up locally after a TTL without renewal: a TTL
        // well above one statement's bound keeps a holder renewing in time.
        if (options.LeaseTtl < TimeSpan.FromSeconds(1))
        {
            problems.Add($"{Section}:LeaseTtl must be at least 00:00:01.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.RequestTimeout >= options.LeaseTtl)
        {
            problems.Add($"{Section}:RequestTimeout must be positive and shorter than {Section}:LeaseTtl.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static bool IsConnectionString(string value)
    {
        try
        {
            return !string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(value).Host);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException or KeyNotFoundException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaPattern();
}
