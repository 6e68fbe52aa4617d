using System.Net.Http.Headers;

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

    /// <summary>The server's Retry-After with that status, if it sent one.</summary>
    public RetryConditionHeaderValue? RetryAfter { get; init; }

    /// <summary>
    /// What tus-js-client retries: no answer, 409 (offset moved), 423 (locked) and 5xx; and 429, which
    /// asks for exactly that.
    /// </summary>
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
