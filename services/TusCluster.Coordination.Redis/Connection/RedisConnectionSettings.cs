using StackExchange.Redis;

namespace TusCluster.Coordination.Redis.Connection;

/// <summary>
/// Turns <see cref="RedisCoordinationOptions"/> into StackExchange.Redis settings. Whatever the
/// configuration string says, the timeouts and failure behaviour the coordination's 503 answers rely on
/// are ours: the connect and command timeouts, no abort when the server is down at start (the replica
/// starts and reports not ready), and fail-fast instead of a backlog (a command is never held back and
/// written later, after its caller was told it failed).
/// </summary>
internal static class RedisConnectionSettings
{
    public static ConfigurationOptions Create(RedisCoordinationOptions options)
    {
        ConfigurationOptions settings;
        if (!string.IsNullOrWhiteSpace(options.Configuration))
        {
            settings = ConfigurationOptions.Parse(options.Configuration);
        }
        else
        {
            var endpoint = options.Endpoint ?? RedisCoordinationOptions.DefaultEndpoint;
            settings = new ConfigurationOptions
            {
                User = string.IsNullOrEmpty(options.User) ? null : options.User,
                Password = string.IsNullOrEmpty(options.Password) ? null : options.Password,
                DefaultDatabase = options.Database,
                Ssl = options.UseTls,
            };
            settings.EndPoints.Add(endpoint);
            if (options.UseTls && RedisEndpoint.TryParse(endpoint, out var parsed))
            {
                settings.SslHost = parsed.Host;
            }
        }

        var commandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalMilliseconds);
        settings.ConnectTimeout = (int)Math.Ceiling(options.ConnectTimeout.TotalMilliseconds);
        settings.AsyncTimeout = commandTimeout;
        settings.SyncTimeout = commandTimeout;
        settings.AbortOnConnectFail = false;
        settings.BacklogPolicy = BacklogPolicy.FailFast;

        // Timeouts are checked on the heartbeat; at the default of a second a 300 ms timeout could fire at 1.3 s.
        settings.HeartbeatInterval = TimeSpan.FromMilliseconds(Math.Clamp(commandTimeout / 3, 50, 1000));

        // A silent peer (no RST) is noticed by a ping within a few seconds, not the default minute.
        settings.KeepAlive = Math.Clamp((int)options.LeaseTtl.TotalSeconds, 1, 5);
        settings.ReconnectRetryPolicy = new ExponentialRetry(50, 1000);
        settings.ClientName ??= "tuscluster";
        if (options.RemoteCertificateValidation is { } validate)
        {
            settings.CertificateValidation += validate;
        }

        return settings;
    }

    /// <summary>Whether <paramref name="text"/> is a configuration string StackExchange.Redis accepts, with at least one endpoint.</summary>
    public static bool IsValidConfiguration(string text, out string? problem)
    {
        try
        {
            var parsed = ConfigurationOptions.Parse(text);
            problem = parsed.EndPoints.Count == 0 ? "it names no endpoint" : null;
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
        }

        return problem is null;
    }
}
