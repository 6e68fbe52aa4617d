using System.Reflection;

namespace TusCluster.Observability;

/// <summary>Who is talking: the service name, the replica (pod) name and the build, as logs, spans, metrics and error events report them.</summary>
internal sealed record ReplicaIdentity(string ServiceName, string ReplicaName)
{
    /// <summary>The host's informational version (service.version, and the Sentry release after the @).</summary>
    public string Version { get; } = HostVersion();

    private static string HostVersion()
    {
        var assembly = Assembly.GetEntryAssembly() ?? typeof(ReplicaIdentity).Assembly;
        return assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
    }
}
