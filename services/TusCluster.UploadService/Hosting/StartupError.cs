using Microsoft.Extensions.Options;

namespace TusCluster.UploadService.Hosting;

/// <summary>Turns a start-up failure caused by configuration into a message an operator can act on.</summary>
internal static class StartupError
{
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException validation =>
            "Invalid configuration:" + string.Concat(validation.Failures.Select(f => Environment.NewLine + "  - " + f)),
        ConfigurationException configuration => "Invalid configuration:" + Environment.NewLine + "  - " + configuration.Message,
        InvalidOperationException { Message: var m } when m.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
            "Invalid configuration:" + Environment.NewLine + "  - " + m,
        AggregateException aggregate when aggregate.InnerExceptions.Select(Describe).OfType<string>().ToList() is { Count: > 0 } messages =>
            string.Join(Environment.NewLine, messages),
        IOException io when Innermost<System.Net.Sockets.SocketException>(io) is { } socket =>
            $"Cannot listen: {socket.Message}. Change Tus:Server:Urls or --urls.",
        _ => null,
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
