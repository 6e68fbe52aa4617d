using System.Text.Json.Nodes;

namespace TusCluster.Operator.Kubernetes;

/// <summary>One line of a watch stream: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.</summary>
internal sealed record WatchEvent(string Type, JsonObject Object);
