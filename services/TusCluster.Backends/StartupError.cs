using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace TusCluster.Backends;

/// <summary>Turns a start-up failure caused by configuration into a message an operator can act on.</summary>
public static class StartupError
{
    /// <summary>
    /// Builds and runs a host; a start-up failure caused by configuration prints its message and
    /// returns exit code 2, so an orchestrator shows why instead of a stack trace.
    /// </summary>
    public static async Task<int> RunAsync(Func<IHost> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        try
        {
            var host = build();
            try
            {
                await host.RunAsync();
                return 0;
            }
            finally
            {
                // Some services are only asynchronously disposable.
                if (host is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync();
                }
                else
                {
                    host.Dispose();
                }
            }
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            await Console.Error.WriteLineAsync(message);
            return 2;
        }
    }

    public static string? Describe(Exception exception) =>
        ConfigurationFailures(exception) is { Count: > 0 } failures
            ? "Invalid configuration:" + string.Concat(failures.Select(f => Environment.NewLine + "  - " + f))
            : exception is IOException io && Innermost<System.Net.Sockets.SocketException>(io) is { } socket
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

    private static T? Innermost<T>(Exception exception)
        where T : Exception
    {
        T? found = null;
        for (var current = exception; current is not null; current = current.InnerException)
        {
            found = current as T ?? found;
        }

        return found;
    }
}
