namespace TusCluster.Protocol.Engine;

/// <summary>A request the engine refuses, with the status and short reason the client gets.</summary>
internal sealed class TusException(int statusCode, string reason) : Exception(reason)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>Extra response headers, e.g. the current Upload-Offset on 409.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>What a protocol with named problem types reports for this refusal; null when none applies.</summary>
    public TusProblem? Problem { get; init; }

    /// <summary>A body to send instead of the reason (a hook receiver's own answer).</summary>
    public string? Body { get; init; }
}
