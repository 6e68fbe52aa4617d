using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Checksums;
using TusCluster.Protocol.Engine;

namespace TusCluster.Protocol.Drafts;

/// <summary>
/// Repr-Digest and Content-Digest (RFC 9530): a Dictionary of algorithm = :base64 digest:. The digest the
/// engine checks is the strongest one it supports; it becomes the tus checksum of the chunk, which the
/// engine stages and verifies before it commits anything.
/// </summary>
internal static class DigestFields
{
    /// <summary>RFC 9530 algorithm keys with their engine algorithm, strongest first.</summary>
    private static readonly (string Key, ChecksumAlgorithm Algorithm)[] Known =
        [("sha-256", ChecksumAlgorithm.Sha256), ("sha", ChecksumAlgorithm.Sha1), ("md5", ChecksumAlgorithm.Md5)];

    /// <summary>An Upload-Checksum value ("sha256 &lt;base64&gt;") for the field, or a 400 when nothing in it can be checked.</summary>
    public static string ToUploadChecksum(string name, string value, IReadOnlyCollection<ChecksumAlgorithm> enabled)
    {
        if (value.Length > 1024)
        {
            throw new TusException(StatusCodes.Status400BadRequest, $"{name} is longer than 1024 characters");
        }

        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = member.IndexOf('=', StringComparison.Ordinal);
            var item = equals > 0 ? member[(equals + 1)..].Split(';')[0].Trim() : string.Empty;
            if (item.Length < 2 || item[0] != ':' || item[^1] != ':')
            {
                throw new TusException(StatusCodes.Status400BadRequest, $"{name} must be a dictionary of algorithm=:base64 digest:");
            }

            members[member[..equals].Trim()] = item[1..^1];
        }

        foreach (var (key, algorithm) in Known)
        {
            if (enabled.Contains(algorithm) && members.TryGetValue(key, out var digest))
            {
                return $"{algorithm.Name} {digest}";
            }
        }

        var supported = string.Join(", ", Known.Where(k => enabled.Contains(k.Algorithm)).Select(k => k.Key));
        throw new TusException(StatusCodes.Status400BadRequest, $"{name} names no algorithm this server checks (supported: {supported})");
    }
}
