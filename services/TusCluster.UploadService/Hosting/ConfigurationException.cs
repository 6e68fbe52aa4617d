namespace TusCluster.UploadService.Hosting;

/// <summary>A configuration value that stops the service from starting; the message says which and why.</summary>
internal sealed class ConfigurationException(string message) : Exception(message);
