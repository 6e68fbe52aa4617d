using System.Diagnostics;
using System.Text;

namespace TusCluster.Observability.Metrics;

/// <summary>The standard process_* figures that Prometheus client libraries expose, read at scrape time.</summary>
internal static class ProcessMetrics
{
    public static void AppendTo(StringBuilder output)
    {
        using var process = Process.GetCurrentProcess();
        Write(output, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", process.TotalProcessorTime.TotalSeconds);
        Write(output, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", process.WorkingSet64);
        Write(output, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", process.VirtualMemorySize64);
        Write(output, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0);
        if (OpenFileDescriptors() is { } open)
        {
            Write(output, "process_open_fds", "gauge", "Number of open file descriptors.", open);
        }

        if (MaxFileDescriptors() is { } max)
        {
            Write(output, "process_max_fds", "gauge", "Maximum number of open file descriptors.", max);
        }
    }

    private static void Write(StringBuilder output, string name, string type, string help, double value)
    {
        output.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        output.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        MetricFamily.WriteSample(output, name, [], null, value);
    }

    private static int? OpenFileDescriptors()
    {
        try
        {
            return Directory.Exists("/proc/self/fd") ? Directory.EnumerateFileSystemEntries("/proc/self/fd").Count() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double? MaxFileDescriptors()
    {
        try
        {
            if (!File.Exists("/proc/self/limits"))
            {
                return null;
            }

            // "Max open files            1048576              1048576              files"
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return double.TryParse(soft, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
