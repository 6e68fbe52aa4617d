using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TusCluster.Testing;

/// <summary>
/// A real coordination server (redis-server, etcd or PostgreSQL from Debian, dynalite from npm, Ceph RGW) on free loopback ports, with the
/// arguments that point upload replicas at it. It can be stopped and started again on the same port
/// and data, to test a backend restart. Stopped by PID, never by name.
/// </summary>
public sealed class CoordinationServer : IAsyncDisposable
{
    private readonly string _backend;
    private readonly int _port;
    private readonly int _peerPort;
    private readonly TemporaryDirectory _data = new();
    private const string S3Bucket = "tus-coordination";
    private Process? _process;
    private CephRgw? _ceph;
    private PostgresServer? _postgres;

    private CoordinationServer(string backend)
    {
        _backend = backend;
        _port = FreePort.Next();
        _peerPort = FreePort.Next();
    }

    /// <summary>Configuration for upload replicas, with a short lease so that failures show quickly.</summary>
    public string[] ReplicaArguments(TimeSpan leaseTtl) => _backend switch
    {
        "Redis" => ["--Tus:Coordination:Provider=Redis", $"--Tus:Coordination:Redis:Endpoint=127.0.0.1:{_port}", $"--Tus:Coordination:Redis:LeaseTtl={leaseTtl}"],
        "DynamoDb" =>
        [
            "--Tus:Coordination:Provider=DynamoDb", $"--Tus:Coordination:DynamoDb:ServiceUrl=http://127.0.0.1:{_port}",
            "--Tus:Coordination:DynamoDb:CreateTable=true", "--Tus:Coordination:DynamoDb:AccessKey=test", "--Tus:Coordination:DynamoDb:SecretKey=test",
            $"--Tus:Coordination:DynamoDb:LeaseTtl={leaseTtl}",
        ],
        "S3" =>
        [
            "--Tus:Coordination:Provider=S3", $"--Tus:Coordination:S3:ServiceUrl={_ceph!.Endpoint}", $"--Tus:Coordination:S3:Region={_ceph.Region}",
            $"--Tus:Coordination:S3:Bucket={S3Bucket}", "--Tus:Coordination:S3:KeyPrefix=coordination/", "--Tus:Coordination:S3:ForcePathStyle=true",
            "--Tus:Coordination:S3:ChecksumCalculation=WhenRequired", $"--Tus:Coordination:S3:AccessKey={_ceph.AccessKey}",
            $"--Tus:Coordination:S3:SecretKey={_ceph.SecretKey}", "--Tus:Coordination:S3:CreateBucket=true", $"--Tus:Coordination:S3:LeaseTtl={leaseTtl}",
        ],
        "PostgreSql" =>
        [
            "--Tus:Coordination:Provider=PostgreSql", $"--Tus:Coordination:PostgreSql:ConnectionString={_postgres!.ConnectionString}",
            "--Tus:Coordination:PostgreSql:CreateSchema=true", $"--Tus:Coordination:PostgreSql:LeaseTtl={leaseTtl}",
            $"--Tus:Coordination:PostgreSql:RequestTimeout={leaseTtl / 2}",
        ],
        _ => ["--Tus:Coordination:Provider=Etcd", $"--Tus:Coordination:Etcd:Endpoints:0=http://127.0.0.1:{_port}", $"--Tus:Coordination:Etcd:LeaseTtl={leaseTtl}"],
    };

    /// <summary>
    /// S3 only: store arguments for the coordination's own bucket under <paramref name="keyPrefix"/>, so that the
    /// cluster needs nothing but that bucket, and a gateway restart takes its store and its coordination down together.
    /// </summary>
    public string[] S3StoreArguments(string keyPrefix) =>
        _ceph?.ReplicaArguments(S3Bucket, keyPrefix) ?? throw new InvalidOperationException("The S3 store needs the S3 coordination server.");

    public static async Task<CoordinationServer> StartAsync(string backend)
    {
        var server = new CoordinationServer(backend);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (_backend == "S3")
        {
            await StartCephAsync();
            return;
        }

        if (_backend == "PostgreSql")
        {
            // Its own data directory and port, kept across a kill and a start like the others' (PostgresServer).
            await (_postgres is null ? StartPostgresAsync() : _postgres.StartProcessAsync());
            return;
        }

        var start = _backend switch
        {
            "Redis" => new ProcessStartInfo("redis-server") { ArgumentList = { "--port", $"{_port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", _data.Path } },
            "Etcd" => new ProcessStartInfo("etcd")
            {
                ArgumentList =
                {
                    "--name", "default", "--data-dir", Path.Combine(_data.Path, "etcd"),
                    "--listen-client-urls", $"http://127.0.0.1:{_port}", "--advertise-client-urls", $"http://127.0.0.1:{_port}",
                    "--listen-peer-urls", $"http://127.0.0.1:{_peerPort}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{_peerPort}",
                    "--initial-cluster", $"default=http://127.0.0.1:{_peerPort}",
                },
            },
            "DynamoDb" => new ProcessStartInfo("node")
            {
                // dynalite (tests/servers/dynalite, `npm ci` there) keeping its tables on disk, so a restart keeps them.
                ArgumentList =
                {
                    Path.Combine(RepositoryPaths.Root, "tests", "servers", "dynalite", "dynalite.mjs"),
                    "--port", $"{_port}", "--path", Path.Combine(_data.Path, "dynalite"),
                },
            },
            _ => throw new ArgumentException($"Unknown backend {_backend}."),
        };
        var process = _process = ServerProcesses.StartDrained(start, _backend);
        await Readiness.WaitAsync(
            $"{_backend} on port {_port}",
            AnswersAsync,
            () => process.HasExited ? $"it exited with {process.ExitCode}" : null);
    }

    /// <summary>Kills the server (SIGKILL), as a crash would; for S3 the gateway (the data stays in the Ceph cluster behind it).</summary>
    public async Task KillAsync()
    {
        if (_ceph is { } ceph)
        {
            await ceph.KillGatewayAsync();
            return;
        }

        if (_postgres is not null)
        {
            await _postgres.KillAsync();
            return;
        }

        if (_process is { } process)
        {
            _process = null;
            await ServerProcesses.KillAsync(process);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ceph is { } ceph)
        {
            _ceph = null;
            await ceph.DisposeAsync();
        }

        await KillAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _data.Dispose();
    }

    /// <summary>The first start makes a Ceph RGW and its bucket (once, before replicas race to); later ones restart its gateway.</summary>
    private async Task StartCephAsync()
    {
        if (_ceph is { } running)
        {
            await running.StartGatewayAsync();
            return;
        }

        var ceph = _ceph = new CephRgw();
        await ceph.InitializeAsync();
        var options = new TusCluster.Coordination.S3.S3CoordinationOptions
        {
            ServiceUrl = ceph.Endpoint,
            Region = ceph.Region,
            ForcePathStyle = true,
            ChecksumCalculation = TusCluster.S3Client.S3ChecksumCalculation.WhenRequired,
            AccessKey = ceph.AccessKey,
            SecretKey = ceph.SecretKey,
        };
        using var client = TusCluster.S3Client.S3ClientFactory.Create(options);
        await TusCluster.S3Client.S3BucketCreation.EnsureExistsAsync(client, S3Bucket, CancellationToken.None);
    }

    private async Task StartPostgresAsync() => _postgres = await PostgresServer.StartAsync();

    private async Task<bool> AnswersAsync(CancellationToken cancellationToken)
    {
        if (_backend == "Redis")
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, _port, cancellationToken);
            var stream = tcp.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            return await stream.ReadAsync(buffer, cancellationToken) > 0 && buffer[0] == (byte)'+';
        }

        var probe = _backend == "DynamoDb"
            ? Readiness.HttpProbe(new Uri($"http://127.0.0.1:{_port}/__requests"))
            : Readiness.HttpProbe(new Uri($"http://127.0.0.1:{_port}/v3/maintenance/status"), method: HttpMethod.Post);
        return await probe(cancellationToken);
    }
}
