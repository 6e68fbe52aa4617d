using System.Globalization;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Gcs;

/// <summary>
/// The GCS store's temporary objects under an upload's <see cref="ObjectKeys.TempSuffix"/>: chunks
/// (<see cref="ObjectKeys.Temp"/>: <c>{key}.tmp/{fence}-{guid}</c>, private to their writer's fence) and
/// compose intermediates (<c>{key}.tmp/compose-{guid}</c>, which carry no fence).
/// </summary>
internal static class TempObjectNames
{
    public static string Intermediate(string final) => $"{final}{ObjectKeys.TempSuffix}compose-{Guid.NewGuid():N}";

    /// <summary>The fence a chunk object was staged under; null for names that are not chunks.</summary>
    public static long? FenceOf(string name)
    {
        var start = name.LastIndexOf(ObjectKeys.TempSuffix, StringComparison.Ordinal) + ObjectKeys.TempSuffix.Length;
        var end = name.IndexOf('-', start);
        return start >= ObjectKeys.TempSuffix.Length && end > start
            && long.TryParse(name.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var fence)
            ? fence
            : null;
    }
}
