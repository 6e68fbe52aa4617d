namespace TusCluster.Protocol.Checksums;

/// <summary>A parsed Upload-Checksum value: "&lt;algorithm&gt; &lt;base64 digest&gt;", one space between.</summary>
public sealed record UploadChecksum(ChecksumAlgorithm Algorithm, byte[] Digest)
{
    public enum ParseError
    {
        None,
        Malformed,
        UnsupportedAlgorithm,

        /// <summary>Well-formed base64, but not as long as the algorithm's digest: it can never match (460, not 400).</summary>
        DigestLengthMismatch,
    }

    /// <param name="enabled">The algorithms this server is configured to accept.</param>
    public static ParseError TryParse(string value, IReadOnlyCollection<ChecksumAlgorithm> enabled, out UploadChecksum? checksum)
    {
        checksum = null;
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == value.Length - 1)
        {
            return ParseError.Malformed;
        }

        var algorithm = ChecksumAlgorithm.FromName(value[..space]);
        if (algorithm is null || !enabled.Contains(algorithm))
        {
            return ParseError.UnsupportedAlgorithm;
        }

        // Convert skips white space inside base64; the header's grammar has none after the one separator.
        var encoded = value.AsSpan(space + 1);
        if (encoded.ContainsAny(" \t\r\n"))
        {
            return ParseError.Malformed;
        }

        var digest = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64Chars(encoded, digest, out var written))
        {
            return ParseError.Malformed;
        }

        if (written != algorithm.DigestLength)
        {
            return ParseError.DigestLengthMismatch;
        }

        checksum = new UploadChecksum(algorithm, digest[..written]);
        return ParseError.None;
    }
}
