using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace TusCluster.Testing;

/// <summary>
/// A throw-away redis-server on a free loopback port, without persistence. Stopped by its own PID
/// only; can be killed and started again on the same port to simulate an outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private const string Executable = "/usr/bin/redis-server";
    private readonly string? _password;
    private readonly string? _tlsDirectory;
    private readonly IReadOnlyList<string> _extraArguments;
    private Process? _process;

    private RedisServer(int port, string? password, bool tls, IReadOnlyList<string>? extraArguments)
    {
        Port = port;
        _password = password;
        _extraArguments = extraArguments ?? [];
        if (tls)
        {
            _tlsDirectory = Path.Combine(Path.GetTempPath(), $"tuscluster-redis-tls-{Guid.NewGuid():N}");
            Directory.CreateDirectory(_tlsDirectory);
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(Path.Combine(_tlsDirectory, "cert.pem"), certificate.ExportCertificatePem());
            File.WriteAllText(Path.Combine(_tlsDirectory, "key.pem"), key.ExportPkcs8PrivateKeyPem());
            CertificateThumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        }
    }

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>SHA-256 thumbprint of the self-signed certificate of a TLS server.</summary>
    public string? CertificateThumbprint { get; }

    /// <param name="extraArguments">More redis-server arguments (<c>--replicaof</c>, <c>--cluster-enabled</c>).</param>
    public static async Task<RedisServer> StartAsync(string? password = null, bool tls = false, IReadOnlyList<string>? extraArguments = null)
    {
        var server = new RedisServer(FreePort.Next(), password, tls, extraArguments);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"{Executable} is missing: apt-get install redis-server.");
        }

        var start = new ProcessStartInfo(Executable);
        foreach (var argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        var process = _process = ServerProcesses.StartDrained(start, "redis-server");
        await Readiness.WaitAsync(
            $"redis-server on port {Port}",
            PingsAsync,
            () => process.HasExited ? $"it exited with {process.ExitCode}" : null);
    }

    /// <summary>Kills exactly the process this instance started (SIGKILL) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await ServerProcesses.KillAsync(process);
        }
    }

    public async Task RestartAsync()
    {
        await KillAsync();
        await StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (_tlsDirectory is not null && Directory.Exists(_tlsDirectory))
        {
            Directory.Delete(_tlsDirectory, recursive: true);
        }
    }

    private IEnumerable<string> Arguments()
    {
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (_tlsDirectory is null)
        {
            yield return "--port";
            yield return port;
        }
        else
        {
            yield return "--port";
            yield return "0";
            yield return "--tls-port";
            yield return port;
            yield return "--tls-cert-file";
            yield return Path.Combine(_tlsDirectory, "cert.pem");
            yield return "--tls-key-file";
            yield return Path.Combine(_tlsDirectory, "key.pem");
            yield return "--tls-ca-cert-file";
            yield return Path.Combine(_tlsDirectory, "cert.pem");
            yield return "--tls-auth-clients";
            yield return "no";
        }

        yield return "--bind";
        yield return "127.0.0.1";
        yield return "--save";
        yield return string.Empty;
        yield return "--appendonly";
        yield return "no";
        yield return "--dir";
        yield return Path.GetTempPath();
        if (_password is not null)
        {
            yield return "--requirepass";
            yield return _password;
        }

        foreach (var argument in _extraArguments)
        {
            yield return argument;
        }
    }

    /// <summary>Raw inline PING, independent of the client under test.</summary>
    private async Task<bool> PingsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            Stream stream = client.GetStream();
            if (_tlsDirectory is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
                stream = ssl;
            }

            var command = _password is null ? "PING\r\n" : $"AUTH {_password}\r\nPING\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command), timeout.Token);
            var buffer = new byte[256];
            var text = string.Empty;
            while (!text.Contains("PONG", StringComparison.Ordinal) && !text.Contains("LOADING", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return false;
                }

                text += Encoding.ASCII.GetString(buffer, 0, read);
            }

            return text.Contains("PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            return false;
        }
    }
}
