using TusCluster.Protocol.Checksums;

namespace TusCluster.Protocol.Engine.Writing;

/// <summary>What a request says about the chunk in its body.</summary>
/// <param name="Checksum">Upload-Checksum from the headers, if any.</param>
/// <param name="ChecksumInTrailer">The client announced Upload-Checksum as a trailer (checksum-trailer).</param>
/// <param name="NewLength">Upload-Length sent on a PATCH to fix a deferred length.</param>
/// <param name="CompletesAtEnd">
/// The body is the rest of the upload, its length unknown until it ends (the IETF draft's completing request
/// without Content-Length): a body that arrives whole fixes the length at the new offset.
/// </param>
internal readonly record struct ChunkRequest(UploadChecksum? Checksum, bool ChecksumInTrailer, long? NewLength, bool CompletesAtEnd = false);
