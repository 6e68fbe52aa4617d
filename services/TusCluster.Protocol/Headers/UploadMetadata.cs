using System.Text;

namespace TusCluster.Protocol.Headers;

/// <summary>
/// The Upload-Metadata header: comma-separated pairs of a key and an optional base64 value.
/// Keys are non-empty, contain no space or comma, and are unique.
/// </summary>
public sealed class UploadMetadata
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);
    private readonly Dictionary<string, byte[]> _values;

    private UploadMetadata(Dictionary<string, byte[]> values) => _values = values;

    public static UploadMetadata Empty { get; } = new(new Dictionary<string, byte[]>(StringComparer.Ordinal));

    public IReadOnlyCollection<string> Keys => _values.Keys;

    /// <summary>Parses and validates a header; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string header, out UploadMetadata metadata, out string error)
    {
        metadata = Empty;
        error = string.Empty;
        var values = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var rawPair in header.Split(','))
        {
            var pair = rawPair.Trim(' ', '\t');
            if (pair.Length == 0)
            {
                error = "Upload-Metadata has an empty pair";
                return false;
            }

            var space = pair.IndexOf(' ', StringComparison.Ordinal);
            var key = space < 0 ? pair : pair[..space];
            var encoded = space < 0 ? string.Empty : pair[(space + 1)..].Trim(' ');
            if (!IsValidKey(key))
            {
                error = "Upload-Metadata has an invalid key";
                return false;
            }

            // Convert skips white space inside base64; the header format does not allow any there.
            if (encoded.AsSpan().IndexOfAny(" \t\r\n") >= 0 || !TryDecodeBase64(encoded, out var value))
            {
                error = $"Upload-Metadata value of '{key}' is not valid base64";
                return false;
            }

            if (!values.TryAdd(key, value))
            {
                error = $"Upload-Metadata has the key '{key}' twice";
                return false;
            }
        }

        metadata = new UploadMetadata(values);
        return true;
    }

    /// <summary>The value of <paramref name="key"/> as UTF-8 text; null when absent or not valid UTF-8.</summary>
    public string? GetString(string key)
    {
        if (!_values.TryGetValue(key, out var bytes))
        {
            return null;
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Every pair as text, as events report it; bytes that are not UTF-8 become U+FFFD.</summary>
    public IReadOnlyDictionary<string, string> ToStrings() =>
        _values.ToDictionary(pair => pair.Key, pair => Encoding.UTF8.GetString(pair.Value), StringComparer.Ordinal);

    /// <summary>Encodes pairs of text as an Upload-Metadata header; null when there are none.</summary>
    /// <exception cref="ArgumentException">A key is not a valid metadata key.</exception>
    public static string? Format(IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var pairs = new List<string>(values.Count);
        foreach (var (key, value) in values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!IsValidKey(key))
            {
                throw new ArgumentException($"'{key}' is not a valid Upload-Metadata key.", nameof(values));
            }

            pairs.Add(value.Length == 0 ? key : $"{key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(value))}");
        }

        return string.Join(',', pairs);
    }

    private static bool IsValidKey(string key)
    {
        if (key.Length == 0)
        {
            return false;
        }

        foreach (var c in key)
        {
            // Visible ASCII only: keys end up in logs and response headers.
            if (c is <= ' ' or > '~' or ',')
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryDecodeBase64(string encoded, out byte[] value)
    {
        value = [];
        if (encoded.Length == 0)
        {
            return true;
        }

        var buffer = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written))
        {
            return false;
        }

        value = buffer[..written];
        return true;
    }
}
