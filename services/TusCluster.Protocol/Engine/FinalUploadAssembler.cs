using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine;

/// <summary>
/// Concatenation: checks the partial uploads a final upload names, and builds the final upload once
/// every partial is finished (at creation, or later on the first HEAD or GET that finds them all
/// finished, for concatenation-unfinished).
/// </summary>
internal sealed class FinalUploadAssembler(IUploadCoordination coordination, IUploadStore store, UploadFinisher finisher, UploadClock clock, IOptions<TusProtocolOptions> options)
{
    private readonly TusProtocolOptions _options = options.Value;

    /// <summary>Reads and validates the partials; 400 for any that cannot take part.</summary>
    public async Task<IReadOnlyList<UploadRecord>> LoadPartialsAsync(IReadOnlyList<string> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var partials = new List<UploadRecord>(ids.Count);
        foreach (var id in ids)
        {
            var partial = await coordination.GetAsync(id, cancellationToken);
            if (partial is null || partial.Status is UploadStatus.Terminated or UploadStatus.Expired || partial.IsExpiredAt(now))
            {
                throw new TusException(StatusCodes.Status400BadRequest, $"partial upload {id} does not exist or has expired");
            }

            if (partial.Kind != UploadKind.Partial)
            {
                throw new TusException(StatusCodes.Status400BadRequest, $"upload {id} was not created with Upload-Concat: partial");
            }

            partials.Add(partial);
        }

        return partials;
    }

    /// <summary>The final length when every partial's length is known; 413 beyond the maximum size.</summary>
    public long? TotalLength(IReadOnlyList<UploadRecord> partials)
    {
        long total = 0;
        foreach (var partial in partials)
        {
            if (partial.Length is not { } length)
            {
                return null;
            }

            total += length;
            if (total > _options.MaxUploadSize)
            {
                throw new TusException(StatusCodes.Status413PayloadTooLarge, $"the partial uploads add up to more than {_options.MaxUploadSize} bytes");
            }
        }

        return total;
    }

    /// <summary>
    /// Builds <paramref name="final"/> when every partial is finished and commits it as finished;
    /// otherwise returns it unchanged.
    /// </summary>
    public async Task<UploadRecord> TryAssembleAsync(IUploadLease lease, UploadRecord final, IReadOnlyList<UploadRecord> partials, CancellationToken cancellationToken)
    {
        var finished = new List<UploadRecord>(partials.Count);
        foreach (var partial in partials)
        {
            var ready = await finisher.EnsureFinishedAsync(coordination, partial, _options.LockAcquireTimeout, cancellationToken);
            if (ready is null)
            {
                return final;
            }

            finished.Add(ready);
        }

        var length = TotalLength(finished) ?? 0;
        var state = await store.ConcatenateAsync(final, finished, cancellationToken);
        return await lease.CommitAsync(
            final with { Length = length, Offset = length, Status = UploadStatus.Finished, ExpiresAt = clock.FinishedExpiryFromNow(), StoreState = state },
            cancellationToken);
    }

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

        if (partials.Any(p => p.Status != UploadStatus.Finished && !p.IsComplete))
        {
            return final with { Length = TotalLength(partials) };
        }

        await using var lease = await coordination.AcquireAsync(final.Id, _options.LockAcquireTimeout, cancellationToken);
        return lease.Record is { Status: UploadStatus.Active } current
            ? await TryAssembleAsync(lease, current, partials, cancellationToken)
            : lease.Record ?? final;
    }
}
