using System.Text.Json;

namespace TusCluster.Testing;

/// <summary>One request a <see cref="HookReceiver"/> recorded.</summary>
public sealed record ReceivedHook(string Method, string Path, IReadOnlyDictionary<string, string[]> Headers, string Body)
{
    /// <summary>All values of a header, looked up case-insensitively; empty when absent.</summary>
    public IReadOnlyList<string> Header(string name) =>
        Headers.Where(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).SelectMany(pair => pair.Value).ToArray();

    public JsonDocument Json() => JsonDocument.Parse(Body);

    /// <summary>The requests a receiver script recorded in <paramref name="directory"/> (one numbered JSON file each), in order.</summary>
    public static IReadOnlyList<ReceivedHook> ReadAll(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(Read)];

    private static ReceivedHook Read(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        var root = document.RootElement;
        var headers = root.GetProperty("headers").EnumerateObject()
            .ToDictionary(header => header.Name, header => header.Value.EnumerateArray().Select(value => value.GetString() ?? string.Empty).ToArray(), StringComparer.OrdinalIgnoreCase);
        return new ReceivedHook(root.GetProperty("method").GetString()!, root.GetProperty("path").GetString()!, headers, root.GetProperty("body").GetString()!);
    }
}
