namespace TusCluster.Protocol.Http;

/// <summary>The parts of RFC 7239 Forwarded that matter for building public URLs.</summary>
internal static class ForwardedHeader
{
    /// <summary>Reads proto= and host= from the first (client-most) element.</summary>
    public static (string? Proto, string? Host) Parse(string header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return (null, null);
        }

        string? proto = null, host = null;
        foreach (var pair in header.Split(',')[0].Split(';'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = pair[..equals].Trim();
            var value = pair[(equals + 1)..].Trim().Trim('"');
            if (name.Equals("proto", StringComparison.OrdinalIgnoreCase))
            {
                proto = value.ToLowerInvariant();
            }
            else if (name.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                host = value;
            }
        }

        return (proto, host);
    }

    /// <summary>host[:port] made of characters a hostname or an IP literal can have, nothing else.</summary>
    public static bool IsValidHost(string host) =>
        host.Length is > 0 and <= 255
        && (char.IsAsciiLetterOrDigit(host[0]) || host[0] == '[')
        && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']')
        && !host.Contains("..", StringComparison.Ordinal);

    public static bool IsValidPathPrefix(string prefix) =>
        prefix.Length is > 1 and <= 200 && prefix.StartsWith('/')
        && prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or '~')
        && !prefix.Contains("..", StringComparison.Ordinal) && !prefix.Contains("//", StringComparison.Ordinal);
}
