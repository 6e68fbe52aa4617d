namespace TusCluster.Protocol.Events;

/// <summary>
/// What a blocking hook answered; tusd's hook response. Everything is optional: an empty decision lets
/// the request go ahead unchanged.
/// </summary>
public sealed record HookDecision
{
    public static HookDecision Proceed { get; } = new();

    /// <summary>Status, body and headers for the client's response (a rejection's, or added to a success).</summary>
    public HookHttpResponse? HttpResponse { get; init; }

    /// <summary>pre-create: do not create the upload.</summary>
    public bool RejectUpload { get; init; }

    /// <summary>pre-terminate: keep the upload.</summary>
    public bool RejectTermination { get; init; }

    /// <summary>pre-create: the id the upload gets instead of a random one (32 lowercase hex characters).</summary>
    public string? ChangeId { get; init; }

    /// <summary>pre-create: the metadata the upload gets instead of the client's.</summary>
    public IReadOnlyDictionary<string, string>? ChangeMetaData { get; init; }
}
