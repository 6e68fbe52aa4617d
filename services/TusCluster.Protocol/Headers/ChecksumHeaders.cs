using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Checksums;
using TusCluster.Protocol.Engine;

namespace TusCluster.Protocol.Headers;

/// <summary>Reads Upload-Checksum (header or announced trailer) off a request that carries a chunk.</summary>
internal static class ChecksumHeaders
{
    /// <summary>The checksum extension's status for a chunk whose digest does not match.</summary>
    public const int ChecksumMismatch = 460;

    public static (UploadChecksum? Checksum, bool InTrailer) Read(HttpRequest request, TusProtocolOptions options)
    {
        var sent = request.Headers.TryGetValue(TusHeaderNames.UploadChecksum, out var values);
        var announced = request.Headers["Trailer"].ToString()
            .Split(',', StringSplitOptions.TrimEntries)
            .Contains(TusHeaderNames.UploadChecksum, StringComparer.OrdinalIgnoreCase);

        if (!sent)
        {
            return (null, announced);
        }

        if (announced)
        {
            throw new TusException(StatusCodes.Status400BadRequest, "Upload-Checksum is sent both as header and as trailer");
        }

        // An empty or repeated header is a broken one, not an absent one.
        var header = values.Count == 1 ? values[0] ?? string.Empty : string.Empty;
        return (Parse(header, options), false);
    }

    /// <summary>Parses a header or trailer value: 400 when malformed or unsupported, 460 when it can never match.</summary>
    public static UploadChecksum Parse(string value, TusProtocolOptions options) =>
        UploadChecksum.TryParse(value, options.EnabledChecksums, out var checksum) switch
        {
            UploadChecksum.ParseError.None => checksum!,
            UploadChecksum.ParseError.UnsupportedAlgorithm =>
                throw new TusException(StatusCodes.Status400BadRequest, "Upload-Checksum names an unsupported algorithm (see Tus-Checksum-Algorithm)"),
            UploadChecksum.ParseError.DigestLengthMismatch =>
                throw new TusException(ChecksumMismatch, "checksum mismatch: the digest is not as long as the algorithm's"),
            _ => throw new TusException(StatusCodes.Status400BadRequest, "Upload-Checksum must be '<algorithm> <base64 digest>', separated by one space"),
        };
}
