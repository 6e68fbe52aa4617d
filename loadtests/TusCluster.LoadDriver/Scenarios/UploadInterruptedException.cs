namespace TusCluster.LoadDriver.Scenarios;

/// <summary>The driver itself cut a PATCH off (resume scenario); not an error of the server.</summary>
internal sealed class UploadInterruptedException : Exception
{
    public UploadInterruptedException()
    {
    }

    public UploadInterruptedException(string message)
        : base(message)
    {
    }

    public UploadInterruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
