namespace TusCluster.Protocol.Checksums;

/// <summary>A parsed Upload-Checksum value: "&lt;algorithm&gt; &lt;base64 digest&gt;".</summary>
public sealed record UploadChecksum(ChecksumAlgorithm Algorithm, byte[] Digest)
{
    public enum ParseError
    {
        None,
        Malformed,
        UnsupportedAlgorithm,
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

        var digest = new byte[algorithm.DigestLength + 3];
        if (!Convert.TryFromBase64String(value[(space + 1)..].Trim(), digest, out var written) || written != algorithm.DigestLength)
        {
            return ParseError.Malformed;
        }

        checksum = new UploadChecksum(algorithm, digest[..written]);
        return ParseError.None;
    }
}
