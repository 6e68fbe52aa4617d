namespace TusCluster.Protocol.Headers;

/// <summary>
/// Where this server's upload URLs live, as a client may name them in Upload-Concat: host names (in
/// ASCII, IDNA form, compared without case, port and scheme aside) for absolute URLs, and the paths
/// under which upload ids follow (the base path, and the public path behind a trusted proxy's prefix).
/// </summary>
public sealed record UploadUrlScope(IReadOnlyCollection<string> Hosts, IReadOnlyCollection<string> Paths);
