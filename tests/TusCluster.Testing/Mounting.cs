using System.Diagnostics;

namespace TusCluster.Testing;

/// <summary>The system commands (mount, losetup, mkfs) that make and remove the test volumes; all need root.</summary>
internal static class Mounting
{
    /// <summary>Unmounts, lazily if something still holds the volume (a test's open file), so that disposal never hangs.</summary>
    public static void Unmount(string path)
    {
        if (Run("umount", path).ExitCode != 0)
        {
            Run("umount", "-l", path);
        }
    }

    /// <summary>Runs the command to completion; a missing program is exit code -1.</summary>
    public static (int ExitCode, string Output) Run(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output.Result + error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
