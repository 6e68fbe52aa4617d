namespace TusCluster.Protocol.Engine;

/// <summary>
/// Why a request was refused, where a protocol other than tus names the reason in its answer
/// (the IETF draft's problem types). tus itself answers these with a status and a header only.
/// </summary>
internal enum TusProblemKind
{
    MismatchingOffset,
    CompletedUpload,
    InconsistentLength,
    DigestMismatch,
}
