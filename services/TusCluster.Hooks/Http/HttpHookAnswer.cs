namespace TusCluster.Hooks.Http;

/// <summary>What one attempt got back: the status and, for a 2xx, the body (read within the size limit).</summary>
internal readonly record struct HttpHookAnswer(int StatusCode, byte[] Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>Worth another attempt: the receiver is failing or overloaded; any other 4xx would only fail again.</summary>
    public bool IsTransient => StatusCode is >= 500 or 429;
}
