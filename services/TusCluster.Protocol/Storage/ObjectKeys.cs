using System.Globalization;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Storage;

/// <summary>
/// Object keys (blob names) of an upload in an object store: the final object at <c>{prefix}{id}</c> or
/// <c>{prefix}{yyyy}/{MM}/{dd}/{id}</c>, and temporary objects under <c>{key}.tmp/</c>. Ids have a fixed
/// length, so listing by an upload's key finds only that upload. Shared by the object stores so that
/// every one of them lays uploads out, and recognises them in listings, the same way.
/// </summary>
public sealed class ObjectKeys(string prefix, bool datePartitioned)
{
    public const string TempSuffix = ".tmp/";

    public string Prefix { get; } = prefix;

    public string Object(UploadRecord upload)
    {
        // Ids are validated by the engine; checked again here because this is where they become keys.
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

    /// <summary>A new temporary object of the writer holding <paramref name="fence"/>; never shared with another writer.</summary>
    public string Temp(UploadRecord upload, long fence) =>
        string.Create(CultureInfo.InvariantCulture, $"{Object(upload)}{TempSuffix}{fence}-{Guid.NewGuid():N}");

    /// <summary>
    /// The upload key (<c>{prefix}{id}</c> or <c>{prefix}yyyy/MM/dd/{id}</c>) that an object key belongs
    /// to, and the id; false for keys that are not this store's.
    /// </summary>
    public bool TryParse(string key, out string uploadKey, out string id)
    {
        uploadKey = id = string.Empty;
        if (!key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key.AsSpan(Prefix.Length);
        var start = IsDatePath(rest) ? 11 : 0;
        if (rest.Length < start + UploadId.Length || !UploadId.IsValid(rest.Slice(start, UploadId.Length)))
        {
            return false;
        }

        var after = rest[(start + UploadId.Length)..];
        if (!after.IsEmpty && !after.StartsWith(TempSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        uploadKey = key[..(Prefix.Length + start + UploadId.Length)];
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
