namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// Every statement, built once for the configured schema. Each is one round trip and atomic on its own
/// (autocommit). Lease expiry is judged by the server's <c>clock_timestamp()</c>, one clock for all replicas. A lease
/// is the row's <c>fence</c> while <c>lease_expires_at</c> is set: a commit, renewal, removal or release names its
/// fence, so a stale holder changes nothing once anyone acquired after it, and nothing after its own release.
/// </summary>
internal sealed class PostgresStatements
{
    public PostgresStatements(string schema)
    {
        var s = PostgresSchema.Quote(schema);
        HandOverChannel = schema + ".handover";
        ReleasedChannel = schema + ".released";
        Listen = $"LISTEN {PostgresSchema.Quote(HandOverChannel)}; LISTEN {PostgresSchema.Quote(ReleasedChannel)}";
        SchemaExists = $"SELECT to_regclass('{s}.uploads') IS NOT NULL AND to_regclass('{s}.outbox') IS NOT NULL";
        Health = $"SELECT 1 FROM {s}.uploads LIMIT 1";
        Get = $"SELECT record::text FROM {s}.uploads WHERE id = $1";

        // $1 id, $2 holder, $3 ttl ms. Takes a free or lapsed lease with the next fence; no row when held.
        Acquire = $"""
            INSERT INTO {s}.uploads AS u (id, fence, lease_holder, lease_expires_at)
            VALUES ($1, 1, $2, clock_timestamp() + $3 * interval '1 millisecond')
            ON CONFLICT (id) DO UPDATE
              SET fence = u.fence + 1, lease_holder = excluded.lease_holder, lease_expires_at = excluded.lease_expires_at
              WHERE u.lease_expires_at IS NULL OR u.lease_expires_at <= clock_timestamp()
            RETURNING u.fence, u.record::text
            """;

        // $1 id, $2 fence, $3 ttl ms. One row when renewed.
        Renew = $"""
            UPDATE {s}.uploads SET lease_expires_at = clock_timestamp() + $3 * interval '1 millisecond'
            WHERE id = $1 AND fence = $2 AND lease_expires_at IS NOT NULL
            """;

        // $1 id, $2 fence, $3 record json, $4 expiry or NULL, $5 release, $6..$9 the events' ids, due times, attempts,
        // payloads, $10 released channel. Record, expiry index, events and release in one statement: all or nothing.
        Commit = $"""
            WITH c AS (
              UPDATE {s}.uploads
              SET record = $3::json, expires_at = $4,
                  lease_holder = CASE WHEN $5 THEN NULL ELSE lease_holder END,
                  lease_expires_at = CASE WHEN $5 THEN NULL ELSE lease_expires_at END
              WHERE id = $1 AND fence = $2 AND lease_expires_at IS NOT NULL
              RETURNING id),
            e AS (
              INSERT INTO {s}.outbox (id, upload_id, due_at, attempts, payload)
              SELECT o.id, c.id, o.due_at, o.attempts, o.payload
              FROM c, unnest($6::text[], $7::timestamptz[], $8::integer[], $9::text[]) AS o(id, due_at, attempts, payload)),
            n AS (SELECT pg_notify($10, id) FROM c WHERE $5)
            SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM n)
            """;

        // $1 id, $2 fence. Keeps the row, and with it the fence.
        Remove = $"UPDATE {s}.uploads SET record = NULL, expires_at = NULL WHERE id = $1 AND fence = $2 AND lease_expires_at IS NOT NULL";

        // $1 id, $2 fence, $3 released channel.
        Release = $"""
            WITH r AS (
              UPDATE {s}.uploads SET lease_holder = NULL, lease_expires_at = NULL
              WHERE id = $1 AND fence = $2 AND lease_expires_at IS NOT NULL
              RETURNING id)
            SELECT pg_notify($3, id) FROM r
            """;

        // $1 id, $2 holder, $3 released channel: frees a lease an acquire with an unknown outcome may have taken.
        ReleaseAttempt = $"""
            WITH r AS (
              UPDATE {s}.uploads SET lease_holder = NULL, lease_expires_at = NULL
              WHERE id = $1 AND lease_holder = $2
              RETURNING id)
            SELECT pg_notify($3, id) FROM r
            """;

        ReadExpired = $"SELECT id, expires_at FROM {s}.uploads WHERE expires_at <= $1 ORDER BY expires_at, id LIMIT $2";
        ReadDueEvents = $"SELECT id, upload_id, due_at, attempts, payload FROM {s}.outbox WHERE due_at <= $1 AND due_at < 'infinity' ORDER BY due_at, id LIMIT $2";
        SetAsideEvent = $"UPDATE {s}.outbox SET due_at = 'infinity' WHERE id = $1 AND due_at < 'infinity'";
        ReadEvents = $"SELECT count(*) FROM {s}.outbox WHERE id = ANY($1)";
        PostponeEvent = $"UPDATE {s}.outbox SET due_at = $2, attempts = attempts + 1 WHERE id = $1";
        DeleteEvent = $"DELETE FROM {s}.outbox WHERE id = $1";
    }

    public string HandOverChannel { get; }

    public string ReleasedChannel { get; }

    public string Listen { get; }

    public string SchemaExists { get; }

    public string Health { get; }

    public string Get { get; }

    public string Acquire { get; }

    public string Renew { get; }

    public string Commit { get; }

    public string Remove { get; }

    public string Release { get; }

    public string ReleaseAttempt { get; }

    public string ReadExpired { get; }

    public string ReadDueEvents { get; }

    public string ReadEvents { get; }

    public string PostponeEvent { get; }

    /// <summary>
    /// Marks a row no reader can take as an entry: due at <c>infinity</c>, which no read returns (Npgsql sends
    /// <see cref="DateTime.MaxValue"/> as <c>infinity</c>, hence the second bound of the read); the row stays as it was otherwise.
    /// </summary>
    public string SetAsideEvent { get; }

    public string DeleteEvent { get; }
}
