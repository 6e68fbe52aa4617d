using TusCluster.Hooks.Payload;

namespace TusCluster.Hooks.Sinks;

/// <summary>Start-up checks of the settings the HTTP and gRPC transports share, each problem naming its setting.</summary>
internal static class RemoteHookOptionsValidation
{
    public static void Validate(string section, RemoteHookOptions options, List<string> problems)
    {
        HookEventsSetting.Validate(section, options.Events, problems);
        if (options.Timeout <= TimeSpan.Zero)
        {
            problems.Add($"{section}:Timeout must be positive.");
        }

        if (options.TotalTimeout < options.Timeout)
        {
            problems.Add($"{section}:TotalTimeout must be at least {section}:Timeout.");
        }

        if (options.Retries is < 0 or > 20)
        {
            problems.Add($"{section}:Retries must be between 0 and 20.");
        }

        if (options.Backoff < TimeSpan.Zero)
        {
            problems.Add($"{section}:Backoff must not be negative.");
        }

        foreach (var header in options.ForwardHeaders.Where(header => !IsToken(header)))
        {
            problems.Add($"{section}:ForwardHeaders: '{header}' is not an HTTP header name.");
        }

        if (options.MaxResponseBytes is < 1 or > 16 * 1024 * 1024)
        {
            problems.Add($"{section}:MaxResponseBytes must be between 1 and 16777216.");
        }
    }

    /// <summary>An HTTP token (RFC 9110), as a header name must be.</summary>
    public static bool IsToken(string? name) =>
        !string.IsNullOrEmpty(name) && name.All(c => c is > ' ' and < (char)0x7f && !"\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal));
}
