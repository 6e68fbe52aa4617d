namespace TusCluster.Coordination.Redis;

/// <summary>
/// The Lua scripts; each is one atomic round trip. StackExchange.Redis loads each once per server
/// (SCRIPT LOAD), runs it by digest (EVALSHA) and sends it again only on NOSCRIPT, which means it did
/// not run. Otherwise a script is never resent: there is no retry policy on the database
/// (<c>WithRetry</c> is not used) and the backlog fails fast, so a script with an unknown outcome
/// (timeout, broken connection) is reported as unavailable, and the lease finds out by reading.
/// Each would also be harmless if it ran twice: Acquire draws a fence only while the lock is free, so a
/// second run finds its own lock and answers 'held'; Renew, Commit, Remove and Release compare the lock
/// with the token first, so a repeat either writes the same values again or does nothing. No script can
/// move the fence backwards. PostponeEvent compares the whole entry, so a repeat finds it changed;
/// DeleteEvent and SetAsideEvent are idempotent.
/// </summary>
internal static class RedisScripts
{
    /// <summary>
    /// KEYS: lock, fence, record. ARGV: ttl ms.
    /// Held: returns 'held' (the caller then asks the holder to hand over). Free: draws the next fence, takes the lock
    /// with it and returns {fence, record json or nil}. The fence never falls to or below the fence stored
    /// in the record (should the counter have been lost, or records come from elsewhere). Fences are
    /// handled as strings, since Lua numbers are doubles and would round 64-bit tokens.
    /// </summary>
    public const string Acquire = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
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
        """;

    /// <summary>KEYS: lock. ARGV: token, ttl ms. Extends the lock only while it holds the token; 1 or 0.</summary>
    public const string Renew = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('PEXPIRE', KEYS[1], ARGV[2])
        end
        return 0
        """;

    /// <summary>
    /// KEYS: lock, record, expiry, and with events: outbox-due, then one key per entry. ARGV: token,
    /// record json, expiry ms or '', upload id, released channel or '', then per entry: id, due ms,
    /// entry json. Stores the record, moves its expiry entry and adds the events only while the lock
    /// holds the token; with a channel it also releases the lock and announces it (commit and release
    /// in one trip); 1 or 0. Without events it does what it did before the outbox existed. A script is
    /// not rolled back when a call fails (a key of the wrong type), so the calls that can fail come
    /// before the strings: such an error leaves at most index members without entries, which reads skip.
    /// </summary>
    public const string Commit = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then
          return 0
        end
        for i = 5, #KEYS do
          redis.call('ZADD', KEYS[4], ARGV[3 * i - 8], ARGV[3 * i - 9])
        end
        if ARGV[3] == '' then
          redis.call('ZREM', KEYS[3], ARGV[4])
        else
          redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
        end
        redis.call('SET', KEYS[2], ARGV[2])
        for i = 5, #KEYS do
          redis.call('SET', KEYS[i], ARGV[3 * i - 7])
        end
        if ARGV[5] ~= '' then
          redis.call('DEL', KEYS[1])
          redis.call('PUBLISH', ARGV[5], ARGV[1])
        end
        return 1
        """;

    /// <summary>KEYS: lock, record, expiry. ARGV: token, upload id. Removes record and expiry entry (never the fence); 1 or 0.</summary>
    public const string Remove = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then
          return 0
        end
        redis.call('DEL', KEYS[2])
        redis.call('ZREM', KEYS[3], ARGV[2])
        return 1
        """;

    /// <summary>
    /// KEYS: outbox entry, outbox-due. ARGV: entry json as read, moved entry json, due ms, entry id.
    /// Replaces the entry only if it is still exactly what the caller read (so the attempts it counted
    /// are the stored ones): 1 moved, 0 gone (delivered: never revived), -1 changed meanwhile (read again).
    /// </summary>
    public const string PostponeEvent = """
        local stored = redis.call('GET', KEYS[1])
        if not stored then
          return 0
        end
        if stored ~= ARGV[1] then
          return -1
        end
        redis.call('SET', KEYS[1], ARGV[2])
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
        return 1
        """;

    /// <summary>KEYS: outbox entry, outbox-due. ARGV: entry id. Removes the entry and its index member; harmless when gone.</summary>
    public const string DeleteEvent = """
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[1])
        return 1
        """;

    /// <summary>
    /// KEYS: outbox entry, outbox-due, unreadable entry. ARGV: the stored bytes found unreadable, entry id. Moves the
    /// entry out of the outbox, bytes unchanged, only while it still holds those bytes (returns 1); 0 when it changed or went.
    /// </summary>
    public const string SetAsideEvent = """
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then
          return 0
        end
        redis.call('SET', KEYS[3], ARGV[1])
        redis.call('DEL', KEYS[1])
        redis.call('ZREM', KEYS[2], ARGV[2])
        return 1
        """;

    /// <summary>KEYS: lock. ARGV: token, released channel. Deletes the lock only while it holds the token, then announces it.</summary>
    public const string Release = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('DEL', KEYS[1])
          redis.call('PUBLISH', ARGV[2], ARGV[1])
          return 1
        end
        return 0
        """;
}
