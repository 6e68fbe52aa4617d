using System.Globalization;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Gcs;

/// <summary>
/// Object names of an upload: the final object at <c>{prefix}{id}</c> or <c>{prefix}{yyyy}/{MM}/{dd}/{id}</c>,
/// staged chunks at <c>{final}.chunks/{fence}-{guid}</c> (private to the writer holding that fence) and
/// compose intermediates at <c>{final}.compose/{guid}</c>. Ids have a fixed length, so listing by an
/// upload's final name finds only that upload.
/// </summary>
internal sealed class GcsObjectNames(string prefix, bool datePartitioned)
{
    public const string ChunkInfix = ".chunks/";
    public const string ComposeInfix = ".compose/";

    public string Prefix { get; } = prefix;

    public string Final(UploadRecord upload)
    {
        // Ids are validated by the engine; checked again here because this is where they become names.
        if (!UploadId.IsValid(upload.Id))
        {
            throw new ArgumentException($"'{upload.Id}' is not an upload id.", nameof(upload));
        }

        if (!datePartitioned)
        {
            return Prefix + upload.Id;
        }

        var created = upload.CreatedAt.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{created:yyyy}/{created:MM}/{created:dd}/{upload.Id}");
    }

    /// <summary>A new chunk object of the writer holding <paramref name="fence"/>; never shared with another writer.</summary>
    public string Chunk(UploadRecord upload, long fence) =>
        string.Create(CultureInfo.InvariantCulture, $"{Final(upload)}{ChunkInfix}{fence:D19}-{Guid.NewGuid():N}");

    public string Intermediate(string final) => $"{final}{ComposeInfix}{Guid.NewGuid():N}";

    /// <summary>The fence a chunk object was staged under; null for names that are not chunks.</summary>
    public static long? FenceOf(string name)
    {
        var at = name.LastIndexOf(ChunkInfix, StringComparison.Ordinal);
        return at >= 0 && name.Length > at + ChunkInfix.Length + 19
            && long.TryParse(name.AsSpan(at + ChunkInfix.Length, 19), NumberStyles.None, CultureInfo.InvariantCulture, out var fence)
            ? fence
            : null;
    }

    /// <summary>The final name an object belongs to and the upload id; false for objects that are not this store's.</summary>
    public bool TryParse(string name, out string final, out string id)
    {
        final = id = string.Empty;
        if (!name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = name.AsSpan(Prefix.Length);
        var start = IsDatePath(rest) ? 11 : 0;
        if (rest.Length < start + UploadId.Length || !UploadId.IsValid(rest.Slice(start, UploadId.Length)))
        {
            return false;
        }

        var after = rest[(start + UploadId.Length)..];
        if (!after.IsEmpty && !after.StartsWith(ChunkInfix, StringComparison.Ordinal) && !after.StartsWith(ComposeInfix, StringComparison.Ordinal))
        {
            return false;
        }

        final = name[..(Prefix.Length + start + UploadId.Length)];
        id = rest.Slice(start, UploadId.Length).ToString();
        return true;
    }

    // yyyy/MM/dd/
    private static bool IsDatePath(ReadOnlySpan<char> rest) =>
        rest.Length >= 11 && rest[4] == '/' && rest[7] == '/' && rest[10] == '/'
        && !rest[..4].ContainsAnyExceptInRange('0', '9')
        && !rest[5..7].ContainsAnyExceptInRange('0', '9')
        && !rest[8..10].ContainsAnyExceptInRange('0', '9');
}
