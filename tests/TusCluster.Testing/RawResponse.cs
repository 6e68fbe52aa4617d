using System.Globalization;

namespace TusCluster.Testing;

public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers)
{
    public long Offset => long.Parse(Headers["Upload-Offset"], CultureInfo.InvariantCulture);

    public static RawResponse Parse(string head)
    {
        var lines = head.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return new RawResponse(status, headers);
    }
}
