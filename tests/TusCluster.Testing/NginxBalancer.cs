using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace TusCluster.Testing;

/// <summary>
/// A real nginx on a free loopback port, balancing round-robin over the given replicas with no
/// stickiness and no buffering of request bodies, as a production setup for tus would. Stopped by PID.
/// </summary>
public sealed class NginxBalancer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TemporaryDirectory _directory;

    private NginxBalancer(Process process, TemporaryDirectory directory, Uri baseAddress)
    {
        _process = process;
        _directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public Uri FilesUrl => new(BaseAddress, "/files/");

    public static async Task<NginxBalancer> StartAsync(IEnumerable<Uri> replicas)
    {
        var directory = new TemporaryDirectory();
        var port = FreePort.Next();
        var config = Path.Combine(directory.Path, "nginx.conf");
        await File.WriteAllTextAsync(config, Configuration(directory.Path, port, replicas));
        var start = new ProcessStartInfo("nginx") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-p", directory.Path, "-c", config, "-e", Path.Combine(directory.Path, "error.log")])
        {
            start.ArgumentList.Add(argument);
        }

        var balancer = new NginxBalancer(Process.Start(start)!, directory, new Uri($"http://127.0.0.1:{port}/"));
        await balancer.WaitUntilListeningAsync(port);
        return balancer;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private static string Configuration(string directory, int port, IEnumerable<Uri> replicas)
    {
        var upstream = new StringBuilder();
        foreach (var replica in replicas)
        {
            upstream.Append(CultureInfo.InvariantCulture, $"    server {replica.Authority};\n");
        }

        // proxy_next_upstream error timeout (nginx's default, spelled out): a request goes to another
        // replica only when its connection failed; nginx never replays a PATCH or POST it has already
        // sent (the client resumes with HEAD instead). Buffering off: chunks stream straight through.
        return $$"""
            user root;
            worker_processes 1;
            daemon off;
            master_process on;
            pid {{directory}}/nginx.pid;
            events { worker_connections 1024; }
            http {
              access_log off;
              client_body_temp_path {{directory}}/body;
              proxy_temp_path {{directory}}/proxy;
              fastcgi_temp_path {{directory}}/fastcgi;
              uwsgi_temp_path {{directory}}/uwsgi;
              scgi_temp_path {{directory}}/scgi;
              upstream tus {
            {{upstream}}    keepalive 64;
              }
              server {
                listen 127.0.0.1:{{port}};
                client_max_body_size 0;
                proxy_request_buffering off;
                proxy_buffering off;
                proxy_http_version 1.1;
                proxy_next_upstream error timeout;
                proxy_read_timeout 120s;
                proxy_set_header Connection "";
                proxy_set_header Host $http_host;
                proxy_set_header X-Forwarded-Host $http_host;
                proxy_set_header X-Forwarded-Proto $scheme;
                location / { proxy_pass http://tus; }
              }
            }
            """;
    }

    private Task WaitUntilListeningAsync(int port) =>
        Readiness.WaitAsync(
            $"nginx on port {port}",
            Readiness.TcpProbe(port),
            () => _process.HasExited ? $"it exited with {_process.ExitCode}: {_process.StandardError.ReadToEnd()}" : null);
}
