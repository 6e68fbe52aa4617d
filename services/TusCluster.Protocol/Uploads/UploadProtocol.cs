namespace TusCluster.Protocol.Uploads;

/// <summary>The wire protocol an upload was created through; it is resumed through the same one.</summary>
public enum UploadProtocol
{
    Tus,

    /// <summary>The IETF httpbis "Resumable Uploads for HTTP" draft (any interop version).</summary>
    IetfDraft,
}
