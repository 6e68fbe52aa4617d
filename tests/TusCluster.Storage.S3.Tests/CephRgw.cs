using System.Diagnostics;

[assembly: AssemblyFixture(typeof(TusCluster.Storage.S3.Tests.CephRgw))]

namespace TusCluster.Storage.S3.Tests;

/// <summary>
/// One real S3 (Ceph RADOS Gateway on a memstore OSD) for the whole test run, started and stopped by
/// tests/servers/ceph-rgw.sh, which stops exactly the PIDs it started. Tests share its bucket and
/// keep apart by key prefix; data stays small (memstore lives in RAM).
/// </summary>
public sealed class CephRgw : IAsyncLifetime
{
    public const string Bucket = "tus-s3-tests";

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"tus-ceph-{Guid.NewGuid():N}");
    private string? _script;

    public string Endpoint { get; private set; } = string.Empty;

    public string AccessKey { get; private set; } = string.Empty;

    public string SecretKey { get; private set; } = string.Empty;

    public string Region { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        _script = FindScript();
        var settings = await RunScriptAsync("start");
        Endpoint = settings["S3_ENDPOINT"];
        AccessKey = settings["S3_ACCESS_KEY"];
        SecretKey = settings["S3_SECRET_KEY"];
        Region = settings["S3_REGION"];

        var options = Options(string.Empty);
        options.CreateBucket = true;
        using var client = S3ClientFactory.Create(options);
        var bucket = new S3Bucket(client, Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Options.Options.Create(new Protocol.TusProtocolOptions()));
        await new BucketInitializer(bucket, Microsoft.Extensions.Options.Options.Create(options), Microsoft.Extensions.Logging.Abstractions.NullLogger<BucketInitializer>.Instance).StartAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_script is not null)
        {
            await RunScriptAsync("stop");
        }
    }

    /// <summary>Store options for this server, with small parts so that multipart paths run on little data.</summary>
    public S3StoreOptions Options(string keyPrefix) => new()
    {
        ServiceUrl = Endpoint,
        Region = Region,
        Bucket = Bucket,
        KeyPrefix = keyPrefix,
        ForcePathStyle = true,
        ChecksumCalculation = S3ChecksumCalculation.WhenRequired,
        AccessKey = AccessKey,
        SecretKey = SecretKey,
        PartSize = S3StoreOptions.MinimumPartSize,
        MaxConcurrentPartUploads = 2,
    };

    private async Task<Dictionary<string, string>> RunScriptAsync(string command)
    {
        var start = new ProcessStartInfo("bash", [_script!, command, _dataDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ceph-rgw.sh {command} failed ({process.ExitCode}):\n{await errors}");
        }

        return (await output).Split('\n')
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1].Trim().Trim('"'));
    }

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var script = Path.Combine(directory.FullName, "tests", "servers", "ceph-rgw.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }

        throw new InvalidOperationException("tests/servers/ceph-rgw.sh not found above the test binaries.");
    }
}
