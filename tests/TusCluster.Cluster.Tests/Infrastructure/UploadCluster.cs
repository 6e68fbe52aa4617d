namespace TusCluster.Cluster.Tests;

/// <summary>
/// Upload-service processes sharing one data directory (the shared-volume store) behind nginx.
/// Replicas trust the balancer's X-Forwarded-* headers, so Location URLs point at the balancer.
/// </summary>
internal sealed class UploadCluster : IAsyncDisposable
{
    private readonly TemporaryDirectory _data;

    private UploadCluster(TemporaryDirectory data, IReadOnlyList<ServiceProcess> replicas, NginxBalancer balancer)
    {
        _data = data;
        Replicas = replicas;
        Balancer = balancer;
    }

    public IReadOnlyList<ServiceProcess> Replicas { get; }

    public NginxBalancer Balancer { get; }

    public Uri FilesUrl => Balancer.FilesUrl;

    public string DataDirectory => _data.Path;

    public static Task<UploadCluster> StartAsync(int replicaCount, params string[] arguments) =>
        StartAsync(replicaCount, _ => new Dictionary<string, string>(), arguments);

    /// <param name="environment">The extra environment variables of replica i (e.g. fault injection).</param>
    public static async Task<UploadCluster> StartAsync(int replicaCount, Func<int, IReadOnlyDictionary<string, string>> environment, params string[] arguments)
    {
        var data = new TemporaryDirectory();
        var replicas = new List<ServiceProcess>();
        try
        {
            for (var i = 0; i < replicaCount; i++)
            {
                replicas.Add(ServiceProcess.Start(data.Path, environment(i), ["--Tus:TrustedProxies:0=127.0.0.1", .. arguments]));
            }

            await Task.WhenAll(replicas.Select(r => r.WaitUntilReadyAsync()));
            return new UploadCluster(data, replicas, await NginxBalancer.StartAsync(replicas.Select(r => r.BaseAddress)));
        }
        catch
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }

            data.Dispose();
            throw;
        }
    }

    /// <summary>Fails when a replica died: under any load a replica must answer or refuse, never crash.</summary>
    public void AssertAllReplicasRunning()
    {
        foreach (var replica in Replicas)
        {
            if (replica.HasExited)
            {
                throw new InvalidOperationException($"Replica {replica.BaseAddress} exited:\n{replica.Output}");
            }
        }
    }

    /// <summary>Waits until a PATCH holding the upload's lease has staged bytes in the shared store.</summary>
    public async Task WaitForStagedChunkAsync(string uploadId)
    {
        var directory = Path.Combine(DataDirectory, "uploads", uploadId);
        for (var i = 0; i < 400 && !Directory.EnumerateFiles(directory, "*.chunk").Any(); i++)
        {
            await Task.Delay(25);
        }

        if (!Directory.EnumerateFiles(directory, "*.chunk").Any())
        {
            throw new TimeoutException($"No chunk of upload {uploadId} was staged.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Balancer.DisposeAsync();
        foreach (var replica in Replicas)
        {
            await replica.DisposeAsync();
        }

        _data.Dispose();
    }
}
