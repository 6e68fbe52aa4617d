namespace TusCluster.FakeGcs;

/// <summary>One object generation as the fake keeps it: its metadata (a JSON file) and its bytes (a data file).</summary>
internal sealed record StoredObject
{
    public required string Bucket { get; init; }

    public required string Name { get; init; }

    public required long Generation { get; init; }

    public long Metageneration { get; init; } = 1;

    public required long Size { get; init; }

    public string ContentType { get; init; } = "application/octet-stream";

    public Dictionary<string, string> Metadata { get; init; } = [];

    /// <summary>Null for an object that was uploaded; the number of uploaded objects it is made of when composed.</summary>
    public int? ComponentCount { get; init; }

    /// <summary>Base64 MD5; real GCS has none for composite objects.</summary>
    public string? Md5Hash { get; init; }

    public required string Crc32c { get; init; }

    public required DateTimeOffset Created { get; init; }

    public DateTimeOffset Updated { get; init; }

    /// <summary>A new object generation of bytes just received (uploaded, or composed when <paramref name="components"/> is set).</summary>
    public static StoredObject New(string bucket, string name, long generation, long size, ObjectResource resource, string? md5, string crc32c, int? components)
    {
        var now = DateTimeOffset.UtcNow;
        return new StoredObject
        {
            Bucket = bucket,
            Name = name,
            Generation = generation,
            Size = size,
            ContentType = resource.ContentType ?? "application/octet-stream",
            Metadata = resource.Metadata ?? [],
            ComponentCount = components,
            Md5Hash = md5,
            Crc32c = crc32c,
            Created = now,
            Updated = now,
        };
    }

    /// <summary>Components this object counts toward a compose (1 for an uploaded object).</summary>
    public int Components => ComponentCount ?? 1;
}
