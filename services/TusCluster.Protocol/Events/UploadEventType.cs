namespace TusCluster.Protocol.Events;

/// <summary>The lifecycle events of an upload; the names tusd gives them are in <see cref="UploadEventTypes"/>.</summary>
public enum UploadEventType
{
    PreCreate,
    PostCreate,
    PostReceive,
    PreFinish,
    PostFinish,
    PreTerminate,
    PostTerminate,
}
