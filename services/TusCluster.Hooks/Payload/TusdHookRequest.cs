namespace TusCluster.Hooks.Payload;

/// <summary>
/// tusd v2's hook request (hooks.HookRequest) as JSON, plus our own top-level fields: EventId (the same
/// on every redelivery, for dedupe), Replica and OccurredAt. Receivers written for tusd ignore them.
/// </summary>
internal sealed record TusdHookRequest(
    string Type,
    TusdHookEvent Event,
    string EventId,
    string Replica,
    DateTimeOffset OccurredAt);

/// <summary>tusd's handler.HookEvent: the upload and the request that caused the event.</summary>
internal sealed record TusdHookEvent(TusdFileInfo Upload, TusdHttpRequest HTTPRequest);

/// <summary>
/// tusd's handler.FileInfo. Nulls are written (no omission) because Go writes every field: Size is
/// null while the length is deferred (as tusd's docs show), PartialUploads null unless final, Storage
/// null in pre-create.
/// </summary>
internal sealed record TusdFileInfo(
    string ID,
    long? Size,
    bool SizeIsDeferred,
    long Offset,
    IReadOnlyDictionary<string, string> MetaData,
    bool IsPartial,
    bool IsFinal,
    IReadOnlyList<string>? PartialUploads,
    IReadOnlyDictionary<string, string>? Storage);

/// <summary>tusd's handler.HTTPRequest; Header is Go's http.Header (canonical name to every value).</summary>
internal sealed record TusdHttpRequest(
    string Method,
    string URI,
    string RemoteAddr,
    IReadOnlyDictionary<string, string[]> Header);

/// <summary>tusd's hooks.HookResponse as read; every field optional. Storage and StopUpload are not supported and not read.</summary>
internal sealed class TusdHookResponse
{
    public TusdHttpResponse? HTTPResponse { get; set; }

    public bool RejectUpload { get; set; }

    public bool RejectTermination { get; set; }

    public TusdFileInfoChanges? ChangeFileInfo { get; set; }
}

/// <summary>tusd's handler.HTTPResponse; StatusCode 0 means "not set" as in Go.</summary>
internal sealed class TusdHttpResponse
{
    public int StatusCode { get; set; }

    public string? Body { get; set; }

    public Dictionary<string, string?>? Header { get; set; }
}

/// <summary>tusd's handler.FileInfoChanges; a null MetaData keeps the client's, an empty object clears it.</summary>
internal sealed class TusdFileInfoChanges
{
    public string? ID { get; set; }

    public Dictionary<string, string?>? MetaData { get; set; }
}
