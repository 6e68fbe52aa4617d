using System.Text.Json;

namespace TusCluster.LoadDriver.Reporting;

/// <summary>--json: the summary for scripts and CI, camelCase like the k6 summaries next to it.</summary>
internal static class JsonReport
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task WriteAsync(string path, object report, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, report, report.GetType(), Options, cancellationToken);
    }
}
