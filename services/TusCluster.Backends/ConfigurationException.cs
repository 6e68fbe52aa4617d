namespace TusCluster.Backends;

/// <summary>A configuration value that stops the service from starting; the message says which and why.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
