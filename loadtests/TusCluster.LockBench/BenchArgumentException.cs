namespace TusCluster.LockBench;

/// <summary>A command-line mistake; the message is printed and the bench exits with 2.</summary>
internal sealed class BenchArgumentException(string message) : Exception(message);
