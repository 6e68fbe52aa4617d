using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.FileSystem;

/// <summary>
/// Lists the upload directories under the store's root, flat (<c>&lt;id&gt;</c>) or date-partitioned
/// (<c>yyyy/MM/dd/&lt;id&gt;</c>); both layouts are walked, so switching DatePartitioned leaves no upload
/// unlisted. A directory's location is its path relative to the root, checked again before deletion.
/// </summary>
internal sealed class FileSystemUploadInventory(IOptions<FileSystemStoreOptions> options) : IUploadInventory
{
    // yyyy/MM/dd: the partition directories sit at most three levels above an upload directory.
    private const int PartitionDepth = 3;

    private readonly string _root = Path.GetFullPath(options.Value.Root);

    public async IAsyncEnumerable<StoredUpload> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var upload in Walk(_root, 0))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return upload;
        }
    }

    public ValueTask DeleteAsync(StoredUpload upload, CancellationToken cancellationToken)
    {
        var directory = DirectoryOf(upload);
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            return ValueTask.CompletedTask;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromException(new StoreUnavailableException("The file store failed: " + e.Message, e));
        }
    }

    public ValueTask<long> RemoveAbandonedStagingAsync(StoredUpload upload, IUploadLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var directory = DirectoryOf(upload);
        try
        {
            return ValueTask.FromResult(AbandonedChunks.Remove(directory, lease.FencingToken, lease.Record?.StoreState));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValueTask.FromException<long>(new StoreUnavailableException("The file store failed: " + e.Message, e));
        }
    }

    private string DirectoryOf(StoredUpload upload)
    {
        var directory = Path.GetFullPath(Path.Combine(_root, upload.Location));
        return UploadId.IsValid(upload.UploadId) && Path.GetFileName(directory) == upload.UploadId
            && directory.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? directory
            : throw new ArgumentException($"'{upload.Location}' is not an upload directory of this store.", nameof(upload));
    }

    private IEnumerable<StoredUpload> Walk(string directory, int depth)
    {
        IEnumerable<string> children;
        try
        {
            children = Directory.EnumerateDirectories(directory);
        }
        catch (DirectoryNotFoundException)
        {
            yield break;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreUnavailableException("The file store cannot be listed: " + e.Message, e);
        }

        foreach (var child in children)
        {
            var name = Path.GetFileName(child);
            if (UploadId.IsValid(name))
            {
                if (Describe(child, name) is { } upload)
                {
                    yield return upload;
                }
            }
            else if (depth < PartitionDepth && name.All(char.IsAsciiDigit))
            {
                foreach (var upload in Walk(child, depth + 1))
                {
                    yield return upload;
                }
            }
        }
    }

    private StoredUpload? Describe(string directory, string id)
    {
        try
        {
            var info = new DirectoryInfo(directory);
            var lastModified = info.LastWriteTimeUtc;
            long bytes = 0, staged = 0;
            foreach (var file in info.EnumerateFiles())
            {
                bytes += file.Length;
                staged += UploadPaths.ChunkFence(file.Name) is null ? 0 : file.Length;
                lastModified = file.LastWriteTimeUtc > lastModified ? file.LastWriteTimeUtc : lastModified;
            }

            return new StoredUpload(id, new DateTimeOffset(lastModified, TimeSpan.Zero), bytes, Path.GetRelativePath(_root, directory), staged);
        }
        catch (DirectoryNotFoundException)
        {
            // Deleted while listing.
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreUnavailableException("The file store cannot be listed: " + e.Message, e);
        }
    }
}
