using System.Globalization;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.FileSystem;

/// <summary>
/// Where an upload's files live: one directory per upload holding <c>data</c> (committed bytes) and
/// <c>&lt;fence&gt;.chunk</c> files (chunks staged by the writer holding that fencing token).
/// </summary>
internal sealed class UploadPaths(string root, bool datePartitioned)
{
    public const string DataFileName = "data";

    public const string ChunkExtension = ".chunk";

    public string Root { get; } = root;

    public string Directory(UploadRecord upload)
    {
        // Ids are validated by the engine; checked again here because this is where they become paths.
        if (!UploadId.IsValid(upload.Id))
        {
            throw new ArgumentException($"'{upload.Id}' is not an upload id.", nameof(upload));
        }

        if (!datePartitioned)
        {
            return Path.Combine(Root, upload.Id);
        }

        var created = upload.CreatedAt.UtcDateTime;
        return Path.Combine(
            Root,
            created.Year.ToString("D4", CultureInfo.InvariantCulture),
            created.Month.ToString("D2", CultureInfo.InvariantCulture),
            created.Day.ToString("D2", CultureInfo.InvariantCulture),
            upload.Id);
    }

    public string Data(UploadRecord upload) => Path.Combine(Directory(upload), DataFileName);

    public string Chunk(UploadRecord upload, long fence) =>
        Path.Combine(Directory(upload), fence.ToString(CultureInfo.InvariantCulture) + ChunkExtension);

    /// <summary>The fence a chunk file was staged under, or null when the name is not a chunk's.</summary>
    public static long? ChunkFence(string chunkPath) =>
        Path.GetFileName(chunkPath) is var name && name.EndsWith(ChunkExtension, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(0, name.Length - ChunkExtension.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var fence)
            ? fence
            : null;
}
