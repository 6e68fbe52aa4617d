using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;

namespace TusCluster.Testing;

/// <summary>
/// A real S3 (Ceph RADOS Gateway on a memstore OSD) for the tests of one class, started and stopped by
/// tests/servers/ceph-rgw.sh, which stops exactly the PIDs it started. Replicas create the bucket
/// themselves (CreateBucket), so this needs nothing from the store's internals; unlike the store
/// tests' fixture it is a class fixture, so cluster tests that do not use S3 never start Ceph.
/// </summary>
public sealed class CephRgw : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"tus-ceph-{Guid.NewGuid():N}");
    private bool _started;

    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>The same gateway behind TLS, with a certificate from the cluster's own test CA (<see cref="CaFile"/>).</summary>
    public string TlsEndpoint { get; private set; } = string.Empty;

    /// <summary>PEM file of the test CA that <see cref="TlsEndpoint"/>'s certificate chains to.</summary>
    public string CaFile { get; private set; } = string.Empty;

    public string AccessKey { get; private set; } = string.Empty;

    public string SecretKey { get; private set; } = string.Empty;

    public string Region { get; private set; } = string.Empty;

    public async ValueTask InitializeAsync()
    {
        var settings = await RunScriptAsync("start");
        _started = true;
        Endpoint = settings["S3_ENDPOINT"];
        TlsEndpoint = settings["S3_TLS_ENDPOINT"];
        CaFile = settings["S3_CA_FILE"];
        AccessKey = settings["S3_ACCESS_KEY"];
        SecretKey = settings["S3_SECRET_KEY"];
        Region = settings["S3_REGION"];
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await RunScriptAsync("stop");
        }
    }

    /// <summary>
    /// Store arguments for upload replicas: minimum (5 MiB) parts so that a few MiB span several parts,
    /// and the settings Ceph needs (path-style addressing, no aws-chunked checksums).
    /// </summary>
    public string[] ReplicaArguments(string bucket, string keyPrefix) =>
    [
        "--Tus:Storage:Provider=S3",
        $"--Tus:Storage:S3:ServiceUrl={Endpoint}",
        $"--Tus:Storage:S3:Region={Region}",
        $"--Tus:Storage:S3:Bucket={bucket}",
        $"--Tus:Storage:S3:KeyPrefix={keyPrefix}",
        "--Tus:Storage:S3:ForcePathStyle=true",
        "--Tus:Storage:S3:ChecksumCalculation=WhenRequired",
        $"--Tus:Storage:S3:AccessKey={AccessKey}",
        $"--Tus:Storage:S3:SecretKey={SecretKey}",
        "--Tus:Storage:S3:PartSize=5242880",
        "--Tus:Storage:S3:MaxConcurrentPartUploads=2",
        "--Tus:Storage:S3:CreateBucket=true",
    ];

    /// <summary>Kills the gateway (SIGKILL), as a crash would; the cluster behind it keeps the data.</summary>
    public Task KillGatewayAsync() => RunScriptAsync("kill-rgw");

    /// <summary>Starts the killed gateway again on the same endpoint.</summary>
    public Task StartGatewayAsync() => RunScriptAsync("start-rgw");

    /// <summary>The size of an object as S3 itself reports it, read past the upload service.</summary>
    public async Task<long> ObjectLengthAsync(string bucket, string key)
    {
        var config = new AmazonS3Config
        {
            ServiceURL = Endpoint,
            AuthenticationRegion = Region,
            ForcePathStyle = true,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        using var client = new AmazonS3Client(new BasicAWSCredentials(AccessKey, SecretKey), config);
        var metadata = await client.GetObjectMetadataAsync(bucket, key);
        return metadata.ContentLength;
    }

    private async Task<Dictionary<string, string>> RunScriptAsync(string command)
    {
        var script = Path.Combine(RepositoryPaths.Root, "tests", "servers", "ceph-rgw.sh");
        var start = new ProcessStartInfo("bash", [script, command, _dataDirectory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        if (command == "start")
        {
            // Reserved here, like every other test server's port (the script's own pick is for loadtests).
            start.Environment["CEPH_PORTS"] = $"{FreePort.Next()} {FreePort.Next()} {FreePort.Next()}";
        }

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
}
