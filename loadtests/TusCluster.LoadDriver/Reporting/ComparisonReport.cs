using System.Globalization;

namespace TusCluster.LoadDriver.Reporting;

/// <summary>Two runs of the same scenario, A (the server under test) against B (the peer), and A/B ratios.</summary>
internal sealed record ComparisonReport(RunSummary A, RunSummary B)
{
    /// <summary>A/B of uploads/s; null when B finished nothing (no meaningful ratio).</summary>
    public double? UploadsPerSecondRatio => Ratio(A.UploadsPerSecond, B.UploadsPerSecond);

    /// <summary>A/B of MB/s; null when B moved no bytes.</summary>
    public double? MegabytesPerSecondRatio => Ratio(A.MegabytesPerSecond, B.MegabytesPerSecond);

    public bool Passed => A.Passed && B.Passed;

    public void Write(TextWriter output)
    {
        output.WriteLine("A:");
        TextReport.Write(output, A);
        output.WriteLine();
        output.WriteLine("B:");
        TextReport.Write(output, B);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio A/B: uploads/s {Format(UploadsPerSecondRatio)} ({A.UploadsPerSecond:0.00} / {B.UploadsPerSecond:0.00}), MB/s {Format(MegabytesPerSecondRatio)} ({A.MegabytesPerSecond:0.00} / {B.MegabytesPerSecond:0.00})"));
    }

    private static double? Ratio(double a, double b) => b > 0 ? Math.Round(a / b, 3) : null;

    private static string Format(double? ratio) => ratio?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a";
}
