namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// A request failed (unexpected status, network error, timeout) and has already been counted. A PATCH
/// that failed in a way worth retrying is resumed from the server's offset; otherwise the iteration
/// ends and the virtual user goes on with the next one.
/// </summary>
internal sealed class TusRequestException : Exception
{
    /// <summary>The unexpected status the server answered with, if that was the failure.</summary>
    public int? StatusCode { get; init; }

    /// <summary>No answer came: the connection failed or the request timed out.</summary>
    public bool NoAnswer { get; init; }

    /// <summary>What a tus client retries: no answer, 409 (offset moved), 423 (locked), 429, and 5xx.</summary>
    public bool Retryable => NoAnswer || StatusCode is 409 or 423 or 429 or >= 500;

    public TusRequestException()
    {
    }

    public TusRequestException(string message)
        : base(message)
    {
    }

    public TusRequestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
