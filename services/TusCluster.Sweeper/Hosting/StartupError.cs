using Microsoft.Extensions.Options;
using TusCluster.Backends;

namespace TusCluster.Sweeper.Hosting;

/// <summary>Turns a start-up failure caused by configuration into a message an operator can act on.</summary>
internal static class StartupError
{
    public static string? Describe(Exception exception) =>
        ConfigurationFailures(exception) is { Count: > 0 } failures
            ? "Invalid configuration:" + string.Concat(failures.Select(f => Environment.NewLine + "  - " + f))
            : exception is IOException && exception.InnerException is System.Net.Sockets.SocketException socket
                ? $"Cannot listen: {socket.Message}. Change Tus:Server:Urls or --urls."
                : null;

    private static List<string> ConfigurationFailures(Exception exception) => exception switch
    {
        OptionsValidationException validation => [.. validation.Failures],
        ConfigurationException configuration => [configuration.Message],
        InvalidOperationException { Message: var m } when m.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [m],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(ConfigurationFailures)],
        _ => [],
    };
}
