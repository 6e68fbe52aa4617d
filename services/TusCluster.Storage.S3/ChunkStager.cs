using System.Collections.Immutable;
using Amazon.S3;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.S3;

/// <summary>
/// Stages one chunk: the committed tail (if any) and the body go through a part buffer; every full
/// buffer is uploaded as a part under a part number reserved under the writer's fence first, while the body
/// keeps arriving; what is left over becomes this writer's own temporary tail object.
/// </summary>
internal sealed class ChunkStager
{
    private readonly S3Bucket _bucket;
    private readonly UploadRecord _upload;
    private readonly IStagingContext _staging;
    private readonly S3UploadState _committed;
    private readonly string _key;
    private readonly CancellationToken _cancellationToken;

    // A brand-new upload (no record yet) is unknown to everybody else, so nobody can compete for its
    // part numbers and committing reservations would create its record too early.
    private readonly bool _reserveBeforeUse;

    private string? _multipartUploadId;
    private bool _createdMultipart;
    private bool _multipartMayBeCommitted;
    private int _nextPart;

    public ChunkStager(S3Bucket bucket, UploadRecord upload, IStagingContext staging, CancellationToken cancellationToken)
    {
        _bucket = bucket;
        _upload = upload;
        _staging = staging;
        _committed = S3UploadState.Parse(upload.StoreState);
        _key = bucket.Keys.Object(upload);
        _cancellationToken = cancellationToken;
        _reserveBeforeUse = staging.RecordExists;
        _multipartUploadId = _committed.MultipartUploadId;
        _nextPart = _committed.NextPart;
    }

    public async Task<StagedChunk> StageAsync(Stream chunk)
    {
        // Every part but the last has the size of the upload's first part, whatever the configuration says
        // now: some S3-compatible services (Cloudflare R2) reject unequal parts. Before the first part, a
        // tail can only outgrow the part size if the part size was lowered since it was written.
        using var buffer = new PartBuffer(_committed.Parts.IsEmpty
            ? (int)Math.Max(_bucket.PartSize, (_committed.Tail?.Size ?? 0) + 1)
            : (int)_committed.Parts[0].Size);
        var received = await ReadFirstAsync(chunk, buffer);
        if (received == 0)
        {
            return new StagedChunk(0, _upload.StoreState);
        }

        string? tailKey = null;
        try
        {
            CommittedPart[] parts;
            await using (var uploads = new PartUploadQueue(_bucket.MaxConcurrentPartUploads))
            {
                while (true)
                {
                    if (buffer.IsFull)
                    {
                        await UploadPartAsync(buffer, uploads);
                    }

                    var read = await chunk.ReadAsync(buffer.FreeSpace(), _cancellationToken);
                    if (read == 0)
                    {
                        break;
                    }

                    buffer.Advance(read);
                    received += read;
                }

                if (buffer.IsFull)
                {
                    await UploadPartAsync(buffer, uploads);
                }

                parts = await uploads.WhenAllAsync();
            }

            if (buffer.Length > 0)
            {
                tailKey = _bucket.Keys.Temp(_upload, _staging.FencingToken);
                await _bucket.PutAsync(tailKey, buffer.Written, null, _cancellationToken);
            }

            var staged = _committed with
            {
                MultipartUploadId = _multipartUploadId,
                Parts = _committed.Parts.AddRange(parts),
                NextPart = _nextPart,
                Tail = tailKey is null ? null : new TailObject(tailKey, buffer.Length),
                Obsolete = _committed.Tail is { } consumed ? [consumed.Key] : [],
                CreatedWithChunk = _createdMultipart && !_reserveBeforeUse,
            };
            return new StagedChunk(received, staged.Format());
        }
        catch
        {
            await CleanUpAsync(tailKey);
            throw;
        }
    }

    /// <summary>
    /// Waits for the first bytes before touching S3, so an empty body costs nothing; then puts the
    /// committed tail in front of them.
    /// </summary>
    private async Task<long> ReadFirstAsync(Stream chunk, PartBuffer buffer)
    {
        var tail = _committed.Tail;
        var reserved = (int)(tail?.Size ?? 0);
        buffer.EnsureCapacity(reserved + 1);
        var read = await chunk.ReadAsync(buffer.FreeSpace()[reserved..], _cancellationToken);
        if (read == 0 || tail is null)
        {
            buffer.Advance(read);
            return read;
        }

        // The first bytes sit right after the space for the tail, which is now fetched in front of them.
        var space = buffer.Reserve(reserved);
        await S3Errors.GuardAsync("read an upload's tail object", () => _bucket.ReadExactlyAsync(tail.Key, null, space, _cancellationToken), _cancellationToken);
        buffer.Advance(reserved + read);
        return read;
    }

    private async Task UploadPartAsync(PartBuffer buffer, PartUploadQueue uploads)
    {
        await uploads.WaitForSlotAsync();
        var number = await ReservePartAsync();
        var (array, length) = buffer.Detach(buffer.Limit);
        uploads.Add(_bucket.UploadPartAsync(_key, _multipartUploadId!, number, array, length, uploads.Abandoned));
    }

    private async Task<int> ReservePartAsync()
    {
        if (_multipartUploadId is null)
        {
            _multipartUploadId = await _bucket.InitiateMultipartAsync(_key, FinalObjectHeaders.From(_upload.Metadata), _cancellationToken);
            _createdMultipart = true;
        }

        if (_nextPart > S3Bucket.MaxPartNumber)
        {
            throw new StoreUnavailableException($"Upload {_upload.Id} has used all {S3Bucket.MaxPartNumber} S3 part numbers.");
        }

        var number = _nextPart++;
        if (_reserveBeforeUse)
        {
            var reservation = _committed with { MultipartUploadId = _multipartUploadId, NextPart = _nextPart };
            var first = !_multipartMayBeCommitted;
            _multipartMayBeCommitted = true;
            try
            {
                await _staging.CommitStoreStateAsync(reservation.Format(), _cancellationToken);
            }
            catch (LeaseLostException)
            {
                // Nothing was written, so a multipart upload created here is still unknown to everybody.
                _multipartMayBeCommitted = !first;
                throw;
            }
        }

        return number;
    }

    /// <summary>Best effort: leaves nothing of this writer's that nobody will ever reference.</summary>
    private async Task CleanUpAsync(string? tailKey)
    {
        try
        {
            if (tailKey is not null)
            {
                await _bucket.DeleteAsync([tailKey], CancellationToken.None);
            }

            if (_createdMultipart && !_multipartMayBeCommitted && _multipartUploadId is not null)
            {
                await _bucket.AbortMultipartAsync(_key, _multipartUploadId, CancellationToken.None);
            }
        }
        catch (Exception e) when (S3Errors.IsStoreFailure(e, CancellationToken.None) || e is AmazonS3Exception)
        {
            // Left for the sweeper's orphan reclaim; the original failure is what matters.
        }
    }
}
