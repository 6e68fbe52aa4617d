namespace TusCluster.Hooks.Payload;

/// <summary>
/// Go's textproto.CanonicalMIMEHeaderKey, which tusd's hook requests use for header names
/// ("upload-metadata" becomes "Upload-Metadata"), so receivers can look headers up as with tusd.
/// </summary>
internal static class GoHeaderName
{
    public static string Canonical(string name)
    {
        // Go leaves a name with a space or a non-token byte unchanged.
        foreach (var c in name)
        {
            if (c > 0x7e || c <= ' ' || "\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal))
            {
                return name;
            }
        }

        return string.Create(name.Length, name, static (span, source) =>
        {
            var upper = true;
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
                upper = c == '-';
            }
        });
    }
}
