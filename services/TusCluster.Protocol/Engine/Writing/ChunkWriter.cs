using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Checksums;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Events;
using TusCluster.Protocol.Headers;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Telemetry;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Writing;

/// <summary>
/// Writes one chunk under a held lease: settle what an earlier holder left, stage the body, verify its
/// checksum, commit the new offset under the fencing token, settle, and finish the upload when it is
/// complete. Shared by PATCH and creation-with-upload.
/// </summary>
internal sealed class ChunkWriter(IUploadStore store, UploadFinisher finisher, UploadClock clock, DrainState drain, IOptions<TusProtocolOptions> options)
{
    private readonly TusProtocolOptions _options = options.Value;

    /// <param name="record">The upload as read under the lease (for creation: not yet committed).</param>
    /// <param name="isNew">The record does not exist in coordination yet and must be committed even if no byte arrives.</param>
    /// <returns>The committed record (unchanged when nothing was committed).</returns>
    public async Task<UploadRecord> WriteAsync(HttpContext context, IUploadLease lease, UploadRecord record, ChunkRequest chunk, bool isNew)
    {
        using var active = TusTelemetry.TrackActiveUpload();
        try
        {
            return await WriteUnderLeaseAsync(context, lease, record, chunk, isNew);
        }
        catch (OperationCanceledException e) when (lease.Lost.IsCancellationRequested)
        {
            throw new LeaseLostException($"The lease of upload {record.Id} was lost while writing.", e);
        }
    }

    private async Task<UploadRecord> WriteUnderLeaseAsync(HttpContext context, IUploadLease lease, UploadRecord record, ChunkRequest chunk, bool isNew)
    {
        var lost = lease.Lost;
        if (!isNew)
        {
            await store.SettleAsync(record, lost);
        }

        var length = chunk.NewLength ?? record.Length;
        var limit = (length ?? _options.MaxUploadSize) - record.Offset;
        var algorithms = chunk.ChecksumInTrailer ? _options.EnabledChecksums : chunk.Checksum is { } c ? [c.Algorithm] : [];
        using var hashes = algorithms.Count > 0 ? new ChunkHashes(algorithms) : null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(lease.HandOverRequested, lost, drain.StopWriting);
        using var body = new ChunkBodyStream(context.Request.BodyReader, limit, hashes, stop.Token);

        var staged = await store.StageAsync(record, lease, body, lost);
        TusTelemetry.BytesReceived(staged.Length);
        var rejection = Verify(context, body, hashes, chunk, isNew);
        if (chunk.CompletesAtEnd && length is null && rejection is null && !body.EndedEarly)
        {
            length = record.Offset + staged.Length;
        }

        if (rejection is not null || (staged.Length == 0 && !isNew && chunk.NewLength is null && length == record.Length))
        {
            await store.DiscardAsync(record, staged, CancellationToken.None);
            return rejection is null ? RefuseMalformed(body, record) : throw rejection;
        }

        var updated = record with
        {
            Length = length,
            Offset = record.Offset + staged.Length,
            StoreState = staged.StoreState,
            ExpiresAt = clock.ExpiryFromNow(),
        };

        if (isNew && updated.IsComplete)
        {
            // Nobody else can know a brand-new id, so the object is finished before its first (and only) commit.
            return await finisher.FinishAsync(lease, updated, lost);
        }

        // The hot path (a chunk that does not finish the upload) commits and releases in one round trip.
        var finishes = updated.IsComplete;
        UploadRecord committed;
        try
        {
            committed = finishes ? await lease.CommitAsync(updated, lost) : await lease.CommitAndReleaseAsync(updated, lost);
        }
        catch (Exception e) when (e is LeaseLostException or TusException or HookUnavailableException)
        {
            // Nothing was committed: a newer holder exists, or the pre-finish hook refused or could not decide.
            await store.DiscardAsync(record, staged, CancellationToken.None);
            throw;
        }

        // Any other failure of the commit leaves the chunk alone: its outcome may be unknown, and a
        // committed chunk must stay for the next holder to settle (an uncommitted one is an orphan the
        // sweeper reclaims).

        if (!finishes)
        {
            await SettleReleasedAsync(committed);
            return RefuseMalformed(body, committed);
        }

        return RefuseMalformed(body, await FinishCommittedAsync(lease, committed));
    }

    /// <summary>
    /// Finishes an upload whose last chunk is committed. The chunk is the client's once committed, so a
    /// store or coordination failure here (a full disk, an outage) answers the committed offset, not an
    /// error: every step is idempotent and the next PATCH or GET of the upload finishes it.
    /// </summary>
    private async Task<UploadRecord> FinishCommittedAsync(IUploadLease lease, UploadRecord committed)
    {
        try
        {
            return await finisher.FinishAsync(lease, committed, lease.Lost);
        }
        catch (Exception e) when (e is StoreUnavailableException or CoordinationUnavailableException)
        {
            return committed;
        }
    }

    /// <summary>
    /// A body whose framing broke (a malformed chunk) is answered 400 even though the well-framed bytes
    /// before the break were kept, as for any body that ends early; the offset tells the client what was.
    /// </summary>
    private static UploadRecord RefuseMalformed(ChunkBodyStream body, UploadRecord committed) =>
        body.MalformedReason is { } reason
            ? throw new TusException(StatusCodes.Status400BadRequest, $"the request body is malformed ({reason.TrimEnd('.')}); bytes before the error were kept")
            {
                Headers = [TusResponses.OffsetHeader(committed.Offset)],
            }
            : committed;

    /// <summary>
    /// Settles a committed chunk after the lease is gone. Settling is idempotent and safe to run
    /// alongside another settler, and every next holder settles before it stages, so a failure here
    /// (a store hiccup, or the upload terminated meanwhile) loses nothing and must not fail a request
    /// whose bytes are already committed.
    /// </summary>
    private async Task SettleReleasedAsync(UploadRecord committed)
    {
        try
        {
            await store.SettleAsync(committed, CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            // Left for the next holder.
        }
    }

    /// <summary>Why the staged chunk must not be committed, or null when it may be.</summary>
    private TusException? Verify(HttpContext context, ChunkBodyStream body, ChunkHashes? hashes, ChunkRequest chunk, bool isNew)
    {
        if (body.Overflowed)
        {
            return new TusException(StatusCodes.Status413PayloadTooLarge, "the body is longer than the rest of the upload");
        }

        // A creation whose body broke creates nothing: the client never learns its URL to resume from.
        if (body.MalformedReason is { } reason && (isNew || hashes is not null))
        {
            return new TusException(StatusCodes.Status400BadRequest, $"the request body is malformed ({reason.TrimEnd('.')})");
        }

        if (hashes is null)
        {
            return null;
        }

        // A checksum covers the whole body: a partial one cannot be verified, so none of it is kept.
        if (body.EndedEarly)
        {
            return new TusException(StatusCodes.Status409Conflict, "the body did not arrive whole; its checksum cannot be verified");
        }

        var expected = chunk.Checksum;
        if (chunk.ChecksumInTrailer)
        {
            var trailer = context.Request.SupportsTrailers() && context.Request.CheckTrailersAvailable()
                ? context.Request.GetTrailer(TusHeaderNames.UploadChecksum).ToString()
                : string.Empty;
            if (trailer.Length == 0)
            {
                return new TusException(StatusCodes.Status400BadRequest, "the announced Upload-Checksum trailer is missing");
            }

            try
            {
                expected = ChecksumHeaders.Parse(trailer, _options);
            }
            catch (TusException refused)
            {
                return refused;
            }
        }

        return expected is not null && !hashes.Matches(expected)
            ? new TusException(ChecksumHeaders.ChecksumMismatch, "checksum mismatch") { Problem = new(TusProblemKind.DigestMismatch) }
            : null;
    }
}
