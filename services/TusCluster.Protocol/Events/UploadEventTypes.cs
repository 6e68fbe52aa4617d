namespace TusCluster.Protocol.Events;

/// <summary>tusd's names of the event types ("pre-create", ...), used in payloads and configuration.</summary>
public static class UploadEventTypes
{
    private static readonly string[] Names =
        ["pre-create", "post-create", "post-receive", "pre-finish", "post-finish", "pre-terminate", "post-terminate"];

    public static IReadOnlyList<UploadEventType> All { get; } = Enum.GetValues<UploadEventType>();

    public static string Name(this UploadEventType type) => Names[(int)type];

    /// <summary>Blocking hooks decide whether a request goes ahead; post-* hooks are told afterwards.</summary>
    public static bool IsBlocking(this UploadEventType type) =>
        type is UploadEventType.PreCreate or UploadEventType.PreFinish or UploadEventType.PreTerminate;

    public static bool TryParse(string? name, out UploadEventType type)
    {
        var index = Array.IndexOf(Names, name?.Trim().ToLowerInvariant());
        type = index < 0 ? default : (UploadEventType)index;
        return index >= 0;
    }
}
