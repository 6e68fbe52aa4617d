namespace TusCluster.Protocol.Events;

/// <summary>A hook's say over the client's HTTP response; any part may be absent.</summary>
public sealed record HookHttpResponse
{
    public int? StatusCode { get; init; }

    public string? Body { get; init; }

    public IReadOnlyDictionary<string, string> Header { get; init; } = new Dictionary<string, string>();
}
