namespace TusCluster.UploadService.Demo;

/// <summary>The demo page at <c>/</c>, bound from <c>Tus:Demo</c>. Off by default.</summary>
public sealed class DemoOptions
{
    public const string SectionName = "Tus:Demo";

    public bool Enabled { get; set; }
}
