using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Payload;

/// <summary>Events as the engine raises them, for the sinks' tests.</summary>
internal static class SampleEvents
{
    public const string EventId = "0123456789abcdef0123456789abcdef";

    public static UploadEvent Of(UploadEventType type, UploadSnapshot? upload = null, RequestSnapshot? request = null) => new()
    {
        Id = EventId,
        Type = type,
        Replica = "tus-0",
        OccurredAt = new DateTimeOffset(2026, 12, 6, 4, 30, 15, 250, TimeSpan.Zero),
        Upload = upload ?? Upload(type),
        HttpRequest = request ?? new RequestSnapshot
        {
            Method = type is UploadEventType.PreCreate or UploadEventType.PostCreate ? "POST" : type is UploadEventType.PreTerminate or UploadEventType.PostTerminate ? "DELETE" : "PATCH",
            Uri = type is UploadEventType.PreCreate ? "/files/" : "/files/5d892c228ec8d0451dfec588697e8930",
            RemoteAddr = "127.0.0.1:59395",
            Header = new Dictionary<string, string[]> { ["authorization"] = ["Bearer abc"], ["X-Trace"] = ["a", "b"] },
        },
    };

    private static UploadSnapshot Upload(UploadEventType type) => type is UploadEventType.PreCreate
        ? new UploadSnapshot { Size = 432724, MetaData = new Dictionary<string, string> { ["filename"] = "a.png", ["filetype"] = "image/png" } }
        : new UploadSnapshot
        {
            Id = "5d892c228ec8d0451dfec588697e8930",
            Size = 432724,
            Offset = type is UploadEventType.PostCreate ? 0 : 432724,
            MetaData = new Dictionary<string, string> { ["filename"] = "a.png" },
            Storage = new Dictionary<string, string> { ["Type"] = "filestore", ["Path"] = "/data/5d892c228ec8d0451dfec588697e8930" },
        };
}
