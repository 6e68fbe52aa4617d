using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Checksums;
using TusCluster.Protocol.Headers;

namespace TusCluster.Protocol.Engine;

/// <summary>Reads Upload-Checksum (header or announced trailer) off a request that carries a chunk.</summary>
internal static class ChecksumHeaders
{
    public static (UploadChecksum? Checksum, bool InTrailer) Read(HttpRequest request, TusProtocolOptions options)
    {
        var header = request.Headers[TusHeaderNames.UploadChecksum].ToString();
        var announced = request.Headers["Trailer"].ToString()
            .Split(',', StringSplitOptions.TrimEntries)
            .Contains(TusHeaderNames.UploadChecksum, StringComparer.OrdinalIgnoreCase);

        if (header.Length == 0)
        {
            return (null, announced);
        }

        if (announced)
        {
            throw new TusException(StatusCodes.Status400BadRequest, "Upload-Checksum is sent both as header and as trailer");
        }

        var error = UploadChecksum.TryParse(header, options.EnabledChecksums, out var checksum);
        return error == UploadChecksum.ParseError.None
            ? (checksum, false)
            : throw new TusException(StatusCodes.Status400BadRequest, Describe(error));
    }

    public static string Describe(UploadChecksum.ParseError error) => error switch
    {
        UploadChecksum.ParseError.UnsupportedAlgorithm => "Upload-Checksum names an unsupported algorithm (see Tus-Checksum-Algorithm)",
        _ => "Upload-Checksum must be '<algorithm> <base64 digest>' with a digest of the algorithm's length",
    };
}
