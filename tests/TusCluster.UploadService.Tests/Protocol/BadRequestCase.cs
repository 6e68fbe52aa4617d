namespace TusCluster.UploadService.Tests.Protocol;

/// <summary>
/// One malformed request and the status it must get. In <see cref="Target"/>, {id} stands for a fresh
/// upload of 100 bytes.
/// </summary>
public sealed record BadRequestCase(string Name, string Method, string Target, string[] Headers, int Expected, byte[]? Body = null)
{
    public override string ToString() => Name;
}
