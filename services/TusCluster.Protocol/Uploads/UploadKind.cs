namespace TusCluster.Protocol.Uploads;

/// <summary>The role of an upload in the concatenation extension.</summary>
public enum UploadKind
{
    Regular,
    Partial,
    Final,
}
