using TusCluster.Coordination.Redis.Resp;

namespace TusCluster.Coordination.Redis;

/// <summary>The Lua scripts; each is one atomic round trip.</summary>
internal static class RedisScripts
{
    /// <summary>
    /// KEYS: lock, fence, record. ARGV: ttl ms, hand-over channel.
    /// Held: asks the holder to hand over and returns 'held'. Free: draws the next fence, takes the lock
    /// with it and returns {fence, record json or nil}. The fence never falls to or below the fence stored
    /// in the record (should the counter have been lost, or records come from elsewhere). Fences are
    /// handled as strings, since Lua numbers are doubles and would round 64-bit tokens.
    /// </summary>
    public static readonly RedisScript Acquire = new("""
        if redis.call('EXISTS', KEYS[1]) == 1 then
          redis.call('PUBLISH', ARGV[2], '1')
          return 'held'
        end
        local record = redis.call('GET', KEYS[3])
        if record then
          local stored = string.match(record, '"Fence":(%d+)')
          if stored then
            local current = redis.call('GET', KEYS[2]) or '0'
            if #stored > #current or (#stored == #current and stored > current) then
              redis.call('SET', KEYS[2], stored)
            end
          end
        end
        redis.call('INCR', KEYS[2])
        local fence = redis.call('GET', KEYS[2])
        redis.call('SET', KEYS[1], fence, 'PX', ARGV[1])
        return {fence, record}
        """);

    /// <summary>KEYS: lock. ARGV: token, ttl ms. Extends the lock only while it holds the token; 1 or 0.</summary>
    public static readonly RedisScript Renew = new("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """);

    /// <summary>
    /// KEYS: lock, record, expiry. ARGV: token, record json, expiry ms or '', upload id, released
    /// channel or ''. Stores the record and moves its expiry entry only while the lock holds the token;
    /// with a channel it also releases the lock and announces it (commit and release in one trip); 1 or 0.
    /// </summary>
    public static readonly RedisScript Commit = new("""
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then
          return 0
        end
        redis.call('SET', KEYS[2], ARGV[2])
        if ARGV[3] == '' then
          redis.call('ZREM', KEYS[3], ARGV[4])
        else
          redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
        end
        if ARGV[5] ~= '' then
          redis.call('DEL', KEYS[1])
          redis.call('PUBLISH', ARGV[5], ARGV[1])
        end
        return 1
        """);

    /// <summary>KEYS: lock, record, expiry. ARGV: token, upload id. Removes record and expiry entry (never the fence); 1 or 0.</summary>
    public static readonly RedisScript Remove = new("""
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then
          return 0
        end
        redis.call('DEL', KEYS[2])
        redis.call('ZREM', KEYS[3], ARGV[2])
        return 1
        """);

    /// <summary>KEYS: lock. ARGV: token, released channel. Deletes the lock only while it holds the token, then announces it.</summary>
    public static readonly RedisScript Release = new("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('DEL', KEYS[1])
          redis.call('PUBLISH', ARGV[2], ARGV[1])
          return 1
        end
        return 0
        """);
}
