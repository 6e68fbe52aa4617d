using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Engine.Events;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Writing;

/// <summary>
/// Concatenation: checks the partial uploads a final upload names, and builds the final upload once
/// every partial is finished (at creation, or later on the first HEAD or GET that finds them all
/// finished, for concatenation-unfinished). A final upload is committed only once its outcome is known
/// (built, or waiting for its partials), so a refusal never leaves a record the client never heard of.
/// </summary>
internal sealed class FinalUploadAssembler(IUploadCoordination coordination, RequestLeases leases, IUploadStore store, UploadFinisher finisher, UploadClock clock, IOptions<TusProtocolOptions> options)
{
    private readonly TusProtocolOptions _options = options.Value;

    private string TooLarge => $"the partial uploads add up to more than the maximum upload size of {_options.MaxUploadSize} bytes";

    /// <summary>Reads and validates the partials; 400 for any that cannot take part.</summary>
    public async Task<IReadOnlyList<UploadRecord>> LoadPartialsAsync(IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var partials = new List<UploadRecord>(ids.Count);
        foreach (var id in ids)
        {
            var partial = await coordination.GetAsync(id, cancellationToken);
            if (IsGone(partial, now))
            {
                throw new TusException(StatusCodes.Status400BadRequest, $"partial upload {id} does not exist or has expired");
            }

            if (partial!.Kind != UploadKind.Partial)
            {
                throw new TusException(StatusCodes.Status400BadRequest, $"upload {id} was not created with Upload-Concat: partial");
            }

            partials.Add(partial);
        }

        return partials;
    }

    /// <summary>
    /// The final length when every partial's length is known, else null; 413 as soon as the lengths
    /// known so far (each listing counted) pass the maximum, so nothing is ever copied beyond it.
    /// </summary>
    public long? TotalLength(IReadOnlyList<UploadRecord> partials)
    {
        var (total, allKnown) = KnownLength(partials);
        return total > _options.MaxUploadSize
            ? throw new TusException(StatusCodes.Status413PayloadTooLarge, TooLarge)
            : allKnown ? total : null;
    }

    /// <summary>
    /// At creation: builds the final upload when every partial is finished, else commits it waiting.
    /// Throws (committing nothing) when it cannot be built: 413 too large, 400 a partial went away.
    /// </summary>
    public async Task<UploadRecord> CreateAsync(IUploadLease lease, UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken) =>
        await FinishedAsync(partials, cancellationToken) is { } finished
            ? await AssembleAsync(lease, final, finished, cancellationToken)
            : await lease.CommitAsync(final, cancellationToken);

    /// <summary>For HEAD and GET: finishes a waiting final upload if its partials are now all finished.</summary>
    public async Task<UploadRecord> RefreshAsync(UploadRecord final, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (final.Kind != UploadKind.Final || final.Status != UploadStatus.Active)
        {
            return final;
        }

        IReadOnlyList<UploadRecord> partials;
        try
        {
            partials = await LoadPartialsAsync(final.PartialIds, now, cancellationToken);
        }
        catch (TusException)
        {
            // A partial expired or was terminated first: this final upload can never complete, but it
            // still exists, so HEAD reports it as it is rather than failing the request.
            return final;
        }

        if (KnownLength(partials).Total > _options.MaxUploadSize)
        {
            await GiveUpAsync(final, cancellationToken);
        }

        if (partials.Any(p => p.Status != UploadStatus.Finished && !p.IsComplete))
        {
            return final with { Length = TotalLength(partials) };
        }

        await using var lease = await leases.AcquireAsync(final.Id, cancellationToken);
        if (lease.Record is not { Status: UploadStatus.Active } current)
        {
            return lease.Record ?? final;
        }

        try
        {
            return await FinishedAsync(partials, cancellationToken) is { } finished
                ? await AssembleAsync(lease, current, finished, cancellationToken)
                : current;
        }
        catch (TusException)
        {
            // A partial went away while the bytes were copied: as above, the final upload stays as it is.
            return current;
        }
    }

    private static bool IsGone(UploadRecord? partial, DateTimeOffset now) =>
        partial is null || partial.Status is UploadStatus.Terminated or UploadStatus.Expired || partial.IsExpiredAt(now);

    /// <summary>The sum of the lengths known so far (stopping once past the maximum), and whether all are known.</summary>
    private (long Total, bool AllKnown) KnownLength(IReadOnlyList<UploadRecord> partials)
    {
        long total = 0;
        var allKnown = true;
        foreach (var partial in partials)
        {
            if (partial.Length is not { } length)
            {
                allKnown = false;
                continue;
            }

            total += length;
            if (total > _options.MaxUploadSize)
            {
                break;
            }
        }

        return (total, allKnown);
    }

    /// <summary>The partials, each finished (finishing any whose writer stopped short); null while any lacks bytes.</summary>
    private async Task<IReadOnlyList<UploadRecord>?> FinishedAsync(IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken)
    {
        var finished = new List<UploadRecord>(partials.Count);
        foreach (var partial in partials)
        {
            if (await finisher.EnsureFinishedAsync(partial, cancellationToken) is not { } ready)
            {
                return null;
            }

            finished.Add(ready);
        }

        return finished;
    }

    private async Task<UploadRecord> AssembleAsync(IUploadLease lease, UploadRecord final, IReadOnlyList<UploadRecord> finished, CancellationToken cancellationToken)
    {
        var length = TotalLength(finished) ?? 0;
        string? state;
        try
        {
            state = await store.ConcatenateAsync(final, finished, cancellationToken);
        }
        catch (StoreUnavailableException)
        {
            // A partial deleted since it was read (a DELETE racing this request) makes the copy fail;
            // a retry can never succeed then, so that is the client's 400, not a 503.
            var now = clock.Now;
            foreach (var partial in finished)
            {
                if (IsGone(await coordination.GetAsync(partial.Id, cancellationToken), now))
                {
                    throw new TusException(StatusCodes.Status400BadRequest, $"partial upload {partial.Id} was terminated or expired while the final upload was built");
                }
            }

            throw;
        }

        return await lease.CommitAsync(
            final with { Length = length, Offset = length, Status = UploadStatus.Finished, ExpiresAt = clock.FinishedExpiryFromNow(), StoreState = state },
            cancellationToken);
    }

    /// <summary>
    /// A final upload whose partials turned out (a deferred length became known) to add up to more than
    /// the maximum can never complete: it becomes a tombstone (410, then 404 after the retention), rather
    /// than answering 413 for as long as it exists.
    /// </summary>
    private async Task GiveUpAsync(UploadRecord final, CancellationToken cancellationToken)
    {
        await using (var lease = await leases.AcquireAsync(final.Id, cancellationToken))
        {
            if (lease.Record is { Status: UploadStatus.Active } current)
            {
                await lease.CommitAsync(
                    current with { Status = UploadStatus.Terminated, StoreState = null, ExpiresAt = clock.Now + _options.TombstoneRetention },
                    cancellationToken);
                try
                {
                    await store.DeleteAsync(current, CancellationToken.None);
                }
                catch (StoreUnavailableException)
                {
                    // The tombstone is committed; bytes left behind are the sweeper's to reclaim.
                }
            }
        }

        throw new TusException(StatusCodes.Status410Gone, TooLarge + "; this final upload can never complete");
    }
}
