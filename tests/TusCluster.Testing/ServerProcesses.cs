using System.Diagnostics;

namespace TusCluster.Testing;

/// <summary>Starting and killing the real servers the tests run, always by the process object (its PID), never by name.</summary>
public static class ServerProcesses
{
    /// <summary>Starts <paramref name="start"/> with its output drained, so a chatty server can never block on a full pipe.</summary>
    public static Process StartDrained(ProcessStartInfo start, string name)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>SIGKILL, as a crash would, then waits until the process is gone and releases it.</summary>
    public static async Task KillAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
        finally
        {
            process.Dispose();
        }
    }

    /// <summary>Sends signal <paramref name="name"/> ("TERM", "STOP", "CONT") to exactly this process.</summary>
    public static void Signal(Process process, string name)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var kill = Process.Start("kill", [$"-{name}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>SIGTERM, then waits up to <paramref name="limit"/> for a clean exit before SIGKILL; releases the process.</summary>
    public static async Task TerminateAsync(Process process, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited)
        {
            Signal(process, "TERM");
            using var timeout = new CancellationTokenSource(limit);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // It did not stop in time: what is left is a crash, which the caller can live with.
            }
        }

        await KillAsync(process);
    }
}
