using System.Globalization;

namespace TusCluster.Operator.Reconciliation;

/// <summary>Parses the TimeSpan strings ("hh:mm:ss", "d.hh:mm:ss") the services accept.</summary>
internal static class Duration
{
    public static bool TryParse(string? text, out TimeSpan value) =>
        TimeSpan.TryParseExact(text, ["c"], CultureInfo.InvariantCulture, out value);
}
