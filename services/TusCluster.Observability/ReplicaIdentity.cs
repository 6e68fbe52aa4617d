namespace TusCluster.Observability;

/// <summary>Who is talking: the service name and the replica (pod) name, as logs and spans report them.</summary>
internal sealed record ReplicaIdentity(string ServiceName, string ReplicaName);
