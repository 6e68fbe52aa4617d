using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace TusCluster.Hooks.Tests.Amqp;

/// <summary>
/// A real Celery worker (Debian's python3-celery) running receivers/tus_celery_receiver.py: one solo-pool process
/// consuming one queue, writing each task's arguments to a file in <see cref="Output"/>. Stopped by its PID.
/// </summary>
internal sealed class CeleryWorker : IAsyncDisposable
{
    // Debian's interpreter, not whatever python3 is first on PATH (a pyenv shim does not see dist-packages).
    private const string Python = "/usr/bin/python3";

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private CeleryWorker(Process process, string output)
    {
        _process = process;
        Output = output;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the worker and waits until it consumes <paramref name="queue"/> (the worker declares it).</summary>
    public static async Task<CeleryWorker> StartAsync(Uri broker, string queue, string task, string output)
    {
        var receivers = Path.Combine(RepositoryPaths.Root, "tests", "TusCluster.Hooks.Tests", "receivers");
        var start = new ProcessStartInfo(Python)
        {
            WorkingDirectory = receivers,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "-m", "celery", "-A", "tus_celery_receiver", "worker", "--pool", "solo", "--concurrency", "1", "-Q", queue,
            "-n", $"tus-tests-{Guid.NewGuid():N}@localhost", "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO",
        })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONPATH"] = receivers;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["TUS_CELERY_BROKER"] = broker.ToString();
        start.Environment["TUS_CELERY_QUEUE"] = queue;
        start.Environment["TUS_CELERY_TASK"] = task;
        start.Environment["TUS_CELERY_OUTPUT"] = output;
        var worker = new CeleryWorker(Process.Start(start) ?? throw new InvalidOperationException("celery did not start."), output);
        try
        {
            await Readiness.WaitAsync(
                $"the Celery worker on queue {queue}",
                cancellationToken => ConsumesAsync(broker, queue, cancellationToken),
                () => worker._process.HasExited ? $"it exited with {worker._process.ExitCode}:\n{worker.Log}" : null);
            return worker;
        }
        catch
        {
            await worker.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => new(ServerProcesses.TerminateAsync(_process, TimeSpan.FromSeconds(10)));

    private static async Task<bool> ConsumesAsync(Uri broker, string queue, CancellationToken cancellationToken)
    {
        await using var connection = await new ConnectionFactory { Uri = broker, AutomaticRecoveryEnabled = false }.CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            var declared = await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
            return declared.ConsumerCount > 0;
        }
        catch (OperationInterruptedException)
        {
            return false; // 404: the worker has not declared its queue yet
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }
}
