using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Azure;

/// <summary>
/// Blob metadata from an upload's metadata pairs: Azure names must be C# identifiers, so '-' becomes '_'
/// and names that still are not identifiers (leading digit) are left out, as are duplicates after that.
/// </summary>
internal static class AzureMetadata
{
    public static Dictionary<string, string> From(FinalObjectHeaders headers)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in headers.Metadata)
        {
            var name = key.Replace('-', '_');
            if (!char.IsAsciiDigit(name[0]))
            {
                metadata.TryAdd(name, value);
            }
        }

        return metadata;
    }
}
