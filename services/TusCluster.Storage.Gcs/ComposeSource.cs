namespace TusCluster.Storage.Gcs;

/// <summary>An object to compose from: one generation of it, and the components it already counts.</summary>
internal sealed record ComposeSource(string Name, long Generation, long Size, int Components);
