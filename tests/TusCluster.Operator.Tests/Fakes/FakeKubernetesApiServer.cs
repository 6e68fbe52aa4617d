using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// An in-process stand-in for kube-apiserver (none can run here): an object store with resource versions
/// and generations, list, watch (with history, bookmarks-free), server-side apply (recorded; the applied
/// fields replace the object's, status kept), merge-patch of /status, delete with uid preconditions, and
/// create/replace with optimistic concurrency. Faults can be injected: drop a watch, answer 410, answer 409.
/// It does not garbage-collect by owner reference or default fields.
/// </summary>
internal sealed partial class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);
    private readonly List<(long Version, string Collection, WatchLine Line)> _history = [];
    private readonly List<Action> _watchWakeups = [];
    private long _resourceVersion = 100;
    private int _failNextApplies;
    private int _failNextWatchesWithGone;
    private int _dropWatchAfterEvents = -1;
    private readonly ConcurrentDictionary<string, bool> _missingKinds = new(StringComparer.Ordinal);

    private FakeKubernetesApiServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<AppliedObject> Applies { get; } = new();

    public string? LastClientCertificateSubject { get; private set; }

    public string? LastAuthorization { get; private set; }

    public int ListRequests;
    public int WatchRequests;
    public int StatusPatches;
    public int Deletes;

    /// <summary>Starts on a free loopback port; with a certificate it serves HTTPS (and asks for client certificates).</summary>
    public static async Task<FakeKubernetesApiServer> StartAsync(X509Certificate2? serverCertificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (serverCertificate is null)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
            {
                https.ServerCertificate = serverCertificate;
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                https.AllowAnyClientCertificate();
            })));
        }

        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeKubernetesApiServer(app);
        app.Use(async (context, next) =>
        {
            fake.LastClientCertificateSubject = context.Connection.ClientCertificate?.Subject;
            fake.LastAuthorization = context.Request.Headers.Authorization.ToString();
            await next(context).ConfigureAwait(false);
        });
        app.Run(fake.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseAddress = new Uri(address);
        return fake;
    }

    /// <summary>The next <paramref name="count"/> applies answer 409 Conflict.</summary>
    public void FailNextApplies(int count) => Interlocked.Exchange(ref _failNextApplies, count);

    /// <summary>The next watch requests answer with an ERROR event of code 410 (resource version too old).</summary>
    public void FailNextWatchesWithGone(int count) => Interlocked.Exchange(ref _failNextWatchesWithGone, count);

    /// <summary>Every watch connection is cut after this many events (-1: never).</summary>
    public void DropWatchesAfter(int events) => Interlocked.Exchange(ref _dropWatchAfterEvents, events);

    /// <summary>Answers 404 for every request on a resource, as when its CRD is not installed.</summary>
    public void RejectKind(string plural) => _missingKinds[plural] = true;

    public JsonObject? Get(string path)
    {
        lock (_gate)
        {
            return _objects.TryGetValue(path, out var obj) ? (JsonObject)obj.DeepClone() : null;
        }
    }

    public JsonObject CreateTusServer(string ns, string name, JsonObject spec) =>
        Store($"/apis/tuscluster.io/v1alpha1/namespaces/{ns}/tusservers/{name}", new JsonObject
        {
            ["apiVersion"] = "tuscluster.io/v1alpha1",
            ["kind"] = "TusServer",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        }, specChanged: true);

    /// <summary>Replaces a TusServer's spec, as kubectl apply or kubectl scale would.</summary>
    public void UpdateTusServerSpec(string ns, string name, Action<JsonObject> edit)
    {
        var path = $"/apis/tuscluster.io/v1alpha1/namespaces/{ns}/tusservers/{name}";
        var obj = Get(path) ?? throw new InvalidOperationException("No such TusServer.");
        edit(obj["spec"]!.AsObject());
        Store(path, obj, specChanged: true);
    }

    /// <summary>Deletes a TusServer (the fake has no garbage collector: children stay, with their owner references).</summary>
    public void DeleteTusServer(string ns, string name)
    {
        lock (_gate)
        {
            var path = $"/apis/tuscluster.io/v1alpha1/namespaces/{ns}/tusservers/{name}";
            if (_objects.Remove(path, out var existing)) Record(path, "DELETED", existing, ++_resourceVersion);
        }
    }

    /// <summary>Plays the Deployment controller: all replicas updated and ready (or <paramref name="ready"/> of them).</summary>
    public void CompleteRollout(string ns, string name, int? ready = null)
    {
        var path = $"/apis/apps/v1/namespaces/{ns}/deployments/{name}";
        var obj = Get(path) ?? throw new InvalidOperationException($"No Deployment {name}.");
        var replicas = (int?)obj["spec"]?["replicas"] ?? 1;
        var count = ready ?? replicas;
        obj["status"] = new JsonObject
        {
            ["observedGeneration"] = obj["metadata"]!["generation"]!.DeepClone(),
            ["replicas"] = count,
            ["updatedReplicas"] = count,
            ["readyReplicas"] = count,
            ["availableReplicas"] = count,
        };
        Store(path, obj, specChanged: false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private JsonObject Store(string path, JsonObject obj, bool specChanged)
    {
        lock (_gate)
        {
            var metadata = obj["metadata"]!.AsObject();
            _objects.TryGetValue(path, out var existing);
            var version = ++_resourceVersion;
            metadata["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture);
            metadata["uid"] = existing?["metadata"]?["uid"]?.DeepClone() ?? Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = existing?["metadata"]?["creationTimestamp"]?.DeepClone() ?? DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var generation = (long?)existing?["metadata"]?["generation"] ?? 0;
            metadata["generation"] = specChanged || existing is null ? generation + 1 : generation;
            _objects[path] = (JsonObject)obj.DeepClone();
            Record(path, existing is null ? "ADDED" : "MODIFIED", obj, version);
            return (JsonObject)obj.DeepClone();
        }
    }

    private void Record(string path, string type, JsonObject obj, long version)
    {
        var collection = path[..path.LastIndexOf('/')];
        _history.Add((version, collection, new WatchLine(type, (JsonObject)obj.DeepClone())));
        foreach (var wake in _watchWakeups) wake();
    }

    private sealed record WatchLine(string Type, JsonObject Object);
}
