namespace TusCluster.Coordination.Redis.Resp;

/// <summary>Redis answered with an error reply (for instance WRONGPASS, NOSCRIPT, a script error).</summary>
internal sealed class RedisErrorException : Exception
{
    public RedisErrorException()
    {
    }

    public RedisErrorException(string message)
        : base(message)
    {
    }

    public RedisErrorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
