using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace TusCluster.Observability.Metrics;

/// <summary>
/// The process_* figures that Prometheus client libraries expose (and the dashboards and the
/// TusFileDescriptorsNearLimit alert read), as instruments whose names and units the Prometheus
/// exporter turns into exactly those names. No OpenTelemetry package has them: the process
/// instrumentation (beta) names them differently and has no file-descriptor counts.
/// </summary>
internal static class ProcessMetrics
{
    public const string MeterName = "TusCluster.Process";

    private static readonly Meter Meter = new(MeterName);

    static ProcessMetrics()
    {
        Meter.CreateObservableCounter("process.cpu", () => Read(p => p.TotalProcessorTime.TotalSeconds), "s", "Total user and system CPU time spent in seconds.");
        Meter.CreateObservableGauge("process.resident_memory", () => Read(p => (double)p.WorkingSet64), "By", "Resident memory size in bytes.");
        Meter.CreateObservableGauge("process.virtual_memory", () => Read(p => (double)p.VirtualMemorySize64), "By", "Virtual memory size in bytes.");
        Meter.CreateObservableGauge("process.start_time", () => Read(p => new DateTimeOffset(p.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0), "s", "Start time of the process since unix epoch in seconds.");
        Meter.CreateObservableGauge("process.open_fds", OpenFileDescriptors, "{fd}", "Number of open file descriptors.");
        Meter.CreateObservableGauge("process.max_fds", MaxFileDescriptors, "{fd}", "Maximum number of open file descriptors.");
    }

    /// <summary>Creates the instruments (once per process).</summary>
    public static void EnsureCreated() => RuntimeHelpers.RunClassConstructor(typeof(ProcessMetrics).TypeHandle);

    private static double Read(Func<Process, double> figure)
    {
        using var process = Process.GetCurrentProcess();
        return figure(process);
    }

    // Absent (no measurement) where /proc is not there, rather than a misleading 0.
    private static Measurement<double>[] OpenFileDescriptors() => AsMeasurement(CountOpenFileDescriptors());

    private static Measurement<double>[] MaxFileDescriptors() => AsMeasurement(ReadMaxFileDescriptors());

    private static Measurement<double>[] AsMeasurement(double? value) => value is { } v ? [new Measurement<double>(v)] : [];

    private static double? CountOpenFileDescriptors()
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

    private static double? ReadMaxFileDescriptors()
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
            return double.TryParse(soft, CultureInfo.InvariantCulture, out var value) ? value : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
