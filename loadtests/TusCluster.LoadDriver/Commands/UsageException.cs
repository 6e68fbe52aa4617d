namespace TusCluster.LoadDriver.Commands;

/// <summary>Arguments that parse but cannot be used together (e.g. a size range whose minimum exceeds its maximum).</summary>
internal sealed class UsageException : Exception
{
    public UsageException()
    {
    }

    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
