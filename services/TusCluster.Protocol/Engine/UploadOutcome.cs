using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine;

/// <summary>
/// What a handler answered with, left on the request's features so that a protocol front can phrase the
/// answer in its own headers (the IETF draft reports completeness, limits and lifetime from the record).
/// </summary>
/// <param name="Record">The upload as committed (or read) by the request.</param>
/// <param name="WasComplete">A PATCH found the upload already complete and appended nothing.</param>
internal sealed record UploadOutcome(UploadRecord Record, bool WasComplete = false);
