using System.Text.Json;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Embedded;

/// <summary>
/// One JSON file per upload record, under a directory named by the id's first two characters so that
/// no directory grows past a few thousand entries. Replaced atomically (write, then rename).
/// </summary>
internal sealed class UploadRecordFiles(string directory, bool fsync)
{
    // Prefix directories already known to exist: 256 at most, and creating one again costs a syscall per write.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _prefixes = new(StringComparer.Ordinal);

    public string Directory { get; } = directory;

    public UploadRecord? Read(string uploadId)
    {
        var path = PathOf(uploadId);

        // Every creation looks up a record that does not exist; a stat is far cheaper than an exception.
        if (!File.Exists(path))
        {
            return null;
        }

        byte[] json;
        try
        {
            json = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (IOException e)
        {
            throw new CoordinationUnavailableException($"Cannot read the record of upload {uploadId}.", e);
        }

        return UploadRecordJson.Deserialize(uploadId, json, "the record directory");
    }

    public void Write(UploadRecord record, long fence)
    {
        var path = PathOf(record.Id);
        var temporary = $"{path}.{fence}.tmp";
        try
        {
            var prefix = Path.GetDirectoryName(path)!;
            if (!_prefixes.ContainsKey(prefix))
            {
                System.IO.Directory.CreateDirectory(prefix);
                _prefixes[prefix] = true;
            }

            var json = UploadRecordJson.Serialize(record);
            using (var file = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(file, json, 0);
                if (fsync)
                {
                    RandomAccess.FlushToDisk(file);
                }
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw new CoordinationUnavailableException($"Cannot write the record of upload {record.Id}.", e);
        }
    }

    public void Delete(string uploadId)
    {
        try
        {
            File.Delete(PathOf(uploadId));
        }
        catch (DirectoryNotFoundException)
        {
            // No record was ever written under this prefix: nothing to remove.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CoordinationUnavailableException($"Cannot delete the record of upload {uploadId}.", e);
        }
    }

    /// <summary>Every stored record; used once at start to rebuild the expiry index.</summary>
    public IEnumerable<UploadRecord> ReadAll()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            yield break;
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json", SearchOption.AllDirectories))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            if (UploadId.IsValid(id) && Read(id) is { } record)
            {
                yield return record;
            }
        }
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is ignored by readers and replaced by the next write.
        }
    }

    private string PathOf(string uploadId) =>
        UploadId.IsValid(uploadId)
            ? Path.Combine(Directory, uploadId[..2], uploadId + ".json")
            : throw new ArgumentException($"'{uploadId}' is not an upload id.", nameof(uploadId));
}
