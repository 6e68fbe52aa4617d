namespace TusCluster.LoadDriver.Commands;

/// <summary>Process exit codes, so that CI can tell a slow or broken server from a typo in the command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A threshold failed, or an upload came back corrupted or lost.</summary>
    public const int ThresholdFailed = 1;

    /// <summary>The command line could not be used.</summary>
    public const int BadArguments = 2;
}
