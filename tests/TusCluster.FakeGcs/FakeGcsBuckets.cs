using System.Text.Json;

namespace TusCluster.FakeGcs;

/// <summary>
/// The fake's buckets on disk: <c>{root}/buckets/{bucket}/{generation}.data</c> with a <c>.json</c> of its
/// metadata beside it, and an index of live objects by name in memory (rebuilt from the JSON files at
/// start, so a restarted fake keeps its objects). One lock orders every change, so a precondition is
/// checked and the object replaced as one step, as GCS does.
/// </summary>
internal sealed class FakeGcsBuckets
{
    private readonly string _root;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<string, StoredObject>> _buckets = new(StringComparer.Ordinal);
    private long _lastGeneration;

    public FakeGcsBuckets(string root)
    {
        _root = root;
        Directory.CreateDirectory(Path.Combine(root, "buckets"));
        Directory.CreateDirectory(StagingDirectory);
        foreach (var bucket in Directory.EnumerateDirectories(Path.Combine(root, "buckets")))
        {
            var objects = _buckets[Path.GetFileName(bucket)] = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            foreach (var file in Directory.EnumerateFiles(bucket, "*.json"))
            {
                var stored = JsonSerializer.Deserialize(File.ReadAllText(file), FakeGcsJsonContext.Default.StoredObject)!;
                objects[stored.Name] = stored;
                _lastGeneration = Math.Max(_lastGeneration, stored.Generation);
            }
        }
    }

    public string StagingDirectory => Path.Combine(_root, "staging");

    public ReceivedBytes NewReceived() => new(Path.Combine(StagingDirectory, Guid.NewGuid().ToString("N")));

    public bool CreateBucket(string bucket)
    {
        lock (_gate)
        {
            if (_buckets.ContainsKey(bucket))
            {
                return false;
            }

            Directory.CreateDirectory(BucketPath(bucket));
            _buckets[bucket] = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            return true;
        }
    }

    public bool BucketExists(string bucket)
    {
        lock (_gate)
        {
            return _buckets.ContainsKey(bucket);
        }
    }

    public StoredObject Get(string bucket, string name, long? generation)
    {
        lock (_gate)
        {
            return Objects(bucket).TryGetValue(name, out var stored) && (generation is null || stored.Generation == generation)
                ? stored
                : throw FakeGcsException.NoSuchObject(bucket, name);
        }
    }

    /// <summary>Opens a live object's bytes; the open file stays readable even if the object is replaced meanwhile.</summary>
    public FileStream OpenData(StoredObject stored) =>
        new(DataPath(stored.Bucket, stored.Generation), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.Asynchronous);

    /// <summary>Makes <paramref name="received"/> the live object if <paramref name="preconditions"/> hold for the one it replaces.</summary>
    public StoredObject Install(string bucket, string name, ReceivedBytes received, Func<long, StoredObject> describe, Preconditions preconditions)
    {
        lock (_gate)
        {
            var objects = Objects(bucket);
            var current = objects.GetValueOrDefault(name);
            preconditions.Check(current, bucket, name);
            var generation = _lastGeneration = Math.Max(_lastGeneration + 1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
            var stored = describe(generation);
            File.Move(received.Path, DataPath(bucket, generation));
            WriteMetadata(stored);
            objects[name] = stored;
            if (current is not null)
            {
                Remove(current);
            }

            return stored;
        }
    }

    public StoredObject Update(string bucket, string name, Preconditions preconditions, Func<StoredObject, StoredObject> change)
    {
        lock (_gate)
        {
            var objects = Objects(bucket);
            var current = objects.TryGetValue(name, out var found) ? found : throw FakeGcsException.NoSuchObject(bucket, name);
            preconditions.Check(current, bucket, name);
            var updated = change(current) with { Metageneration = current.Metageneration + 1, Updated = DateTimeOffset.UtcNow };
            WriteMetadata(updated);
            return objects[name] = updated;
        }
    }

    public void Delete(string bucket, string name, long? generation, Preconditions preconditions)
    {
        lock (_gate)
        {
            var objects = Objects(bucket);
            if (!objects.TryGetValue(name, out var current) || (generation is not null && current.Generation != generation))
            {
                throw FakeGcsException.NoSuchObject(bucket, name);
            }

            preconditions.Check(current, bucket, name);
            objects.Remove(name);
            Remove(current);
        }
    }

    /// <summary>Up to <paramref name="limit"/> live objects whose names start with <paramref name="prefix"/>, after <paramref name="after"/>, in name order.</summary>
    public List<StoredObject> List(string bucket, string prefix, string? after, int limit)
    {
        lock (_gate)
        {
            return Objects(bucket).Values
                .Where(o => o.Name.StartsWith(prefix, StringComparison.Ordinal) && (after is null || string.CompareOrdinal(o.Name, after) > 0))
                .Take(limit)
                .ToList();
        }
    }

    private SortedDictionary<string, StoredObject> Objects(string bucket) =>
        _buckets.TryGetValue(bucket, out var objects) ? objects : throw FakeGcsException.NoSuchBucket(bucket);

    private void WriteMetadata(StoredObject stored)
    {
        var path = MetadataPath(stored.Bucket, stored.Generation);
        File.WriteAllText(path + ".new", JsonSerializer.Serialize(stored, FakeGcsJsonContext.Default.StoredObject));
        File.Move(path + ".new", path, overwrite: true);
    }

    private void Remove(StoredObject stored)
    {
        File.Delete(MetadataPath(stored.Bucket, stored.Generation));
        File.Delete(DataPath(stored.Bucket, stored.Generation));
    }

    private string BucketPath(string bucket) => Path.Combine(_root, "buckets", bucket);

    private string DataPath(string bucket, long generation) => Path.Combine(BucketPath(bucket), $"{generation}.data");

    private string MetadataPath(string bucket, long generation) => Path.Combine(BucketPath(bucket), $"{generation}.json");
}
