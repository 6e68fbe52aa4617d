using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis.Resp;

/// <summary>
/// A few pipelined command connections used round-robin. A broken connection is replaced by the next
/// caller that draws its slot, so the pool heals by itself once Redis is back.
/// </summary>
internal sealed class RedisConnectionPool : IAsyncDisposable
{
    private readonly RedisCoordinationOptions _options;
    private readonly PooledConnectionSlot[] _slots;
    private int _next = -1;
    private bool _disposed;

    public RedisConnectionPool(RedisCoordinationOptions options)
    {
        _options = options;
        _slots = [.. Enumerable.Range(0, Math.Max(1, options.PoolSize)).Select(_ => new PooledConnectionSlot())];
    }

    /// <summary>Runs one command on a pooled connection; an error reply is returned, not thrown.</summary>
    public async Task<RespValue> ExecuteAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var connection = await GetAsync(cancellationToken);
        return await connection.ExecuteAsync(command, cancellationToken);
    }

    private async Task<RedisConnection> GetAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var slot = _slots[(int)((uint)Interlocked.Increment(ref _next) % (uint)_slots.Length)];
        if (slot.Connection is { IsBroken: false } ready)
        {
            return ready;
        }

        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            if (slot.Connection is { IsBroken: false } current)
            {
                return current;
            }

            if (slot.Connection is { } broken)
            {
                slot.Connection = null;
                await broken.DisposeAsync();
            }

            slot.Connection = await RedisConnection.ConnectAsync(_options, push: null, cancellationToken);
            return slot.Connection;
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        foreach (var slot in _slots)
        {
            if (slot.Connection is { } connection)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
