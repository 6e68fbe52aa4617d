using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Payload;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.File;

/// <summary>
/// tusd's file hooks: the executable named like the event runs in the hook directory with tusd's hook
/// JSON on stdin and TUS_ID, TUS_SIZE, TUS_OFFSET in its environment; exit 0 with stdout as the
/// answer (empty: go ahead). A missing executable means go ahead, as with tusd.
/// </summary>
internal sealed partial class FileHookSink : IHookSink
{
    private const int MaxStandardErrorBytes = 8 * 1024;

    private readonly FileHookOptions _options;
    private readonly string _directory;
    private readonly IReadOnlySet<UploadEventType> _events;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<UploadEventType, bool> _reportedMissing = new();

    public FileHookSink(IOptions<FileHookOptions> options, ILogger<FileHookSink> logger)
    {
        _options = options.Value;
        _directory = _options.Directory!;
        _events = HookEventsSetting.Resolve(_options.Events, HookEventsSetting.TusdDefault);
        _logger = logger;
    }

    public string Name => "file";

    public bool CanDecide => true;

    public bool Handles(UploadEventType type) => _events.Contains(type);

    public async ValueTask<HookDecision> InvokeAsync(UploadEvent uploadEvent, CancellationToken cancellationToken)
    {
        var name = uploadEvent.Type.Name();
        var path = Path.Combine(_directory, name);
        if (!System.IO.File.Exists(path))
        {
            if (_reportedMissing.TryAdd(uploadEvent.Type, true))
            {
                LogMissing(_logger, name, path);
            }

            return HookDecision.Proceed;
        }

        using var process = Start(path, uploadEvent);
        var output = await RunAsync(process, name, TusdHookJson.SerializeRequest(uploadEvent), cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new HookUnavailableException($"The file hook {path} exited with {process.ExitCode}.");
        }

        return uploadEvent.Type.IsBlocking() ? TusdHookJson.ParseResponse(output, _options.MaxOutputBytes) : HookDecision.Proceed;
    }

    private Process Start(string path, UploadEvent uploadEvent)
    {
        var start = new ProcessStartInfo(path)
        {
            WorkingDirectory = _directory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["TUS_ID"] = uploadEvent.Upload.Id;

        // Go writes the size it has: 0 while the length is deferred.
        start.Environment["TUS_SIZE"] = (uploadEvent.Upload.Size ?? 0).ToString(CultureInfo.InvariantCulture);
        start.Environment["TUS_OFFSET"] = uploadEvent.Upload.Offset.ToString(CultureInfo.InvariantCulture);
        try
        {
            return Process.Start(start) ?? throw new HookUnavailableException($"The file hook {path} did not start.");
        }
        catch (Win32Exception exception)
        {
            throw new HookUnavailableException($"The file hook {path} could not be started: {exception.Message}", exception);
        }
    }

    /// <summary>Feeds stdin, reads stdout and stderr within their limits and waits for the exit, all within the time limit.</summary>
    private async Task<byte[]> RunAsync(Process process, string name, byte[] request, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_options.Timeout);
        var output = BoundedRead.ReadAsync(process.StandardOutput.BaseStream, _options.MaxOutputBytes, limit.Token);
        var errors = ReadErrorsAsync(process, limit.Token);
        try
        {
            await WriteRequestAsync(process, request, limit.Token).ConfigureAwait(false);
            var bytes = await output.ConfigureAwait(false);
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
            return bytes;
        }
        catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HookUnavailableException($"The file hook {name} did not finish within {_options.Timeout}; it was killed.", exception);
        }
        finally
        {
            if (!process.HasExited)
            {
                // The whole tree: a shell script's children would otherwise outlive it and hold the pipes open.
                process.Kill(entireProcessTree: true);
            }

            var text = await errors.ConfigureAwait(false);
            if (text.Length > 0)
            {
                LogStandardError(_logger, name, text);
            }
        }
    }

    private static async Task WriteRequestAsync(Process process, byte[] request, CancellationToken cancellationToken)
    {
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(request, cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The hook exited without reading its input: allowed, its exit code and output decide.
        }
    }

    private static async Task<string> ReadErrorsAsync(Process process, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxStandardErrorBytes];
        var length = 0;
        try
        {
            var stream = process.StandardError.BaseStream;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
                if (length == buffer.Length)
                {
                    // Keep what fits; drain the rest so the hook never blocks on a full pipe.
                    await stream.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // Killed or timed out: log what was read.
        }

        return Encoding.UTF8.GetString(buffer, 0, length).TrimEnd();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No file hook for {Event} at {Path}: the event goes ahead unhooked (reported once).")]
    private static partial void LogMissing(ILogger logger, string @event, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "File hook {Event} wrote to stderr: {Text}")]
    private static partial void LogStandardError(ILogger logger, string @event, string text);
}
