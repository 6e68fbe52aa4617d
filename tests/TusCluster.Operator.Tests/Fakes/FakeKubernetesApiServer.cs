using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TusCluster.Operator.Tests.Schemas;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// An in-process stand-in for kube-apiserver, since none can run here, faithful enough for kubectl and client
/// libraries: legacy discovery (CRDs join it when applied), a minimal OpenAPI v3, create/get/list/replace/delete
/// with label and field selectors, JSON merge, strategic merge (a subset) and JSON patches, server-side apply
/// with managed fields, conflicts and force, the status and scale subresources, watches that resume from a
/// resource version with bookmarks and 410 for compacted versions, 409 on a stale resource version, Table
/// output from printer columns, generations that move on spec changes only, and a garbage collector that
/// follows owner references. It does not enforce namespaces' existence, admission, RBAC or schemas.
/// Faults can be injected for the operator's tests: drop a watch, answer 410, answer 409.
/// </summary>
internal sealed partial class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ApiResourceCatalog _catalog = new();
    private readonly ConcurrentDictionary<string, bool> _missingKinds = new(StringComparer.Ordinal);
    private int _failNextApplies;
    private int _failNextWatchesWithGone;
    private int _dropWatchAfterEvents = -1;

    private FakeKubernetesApiServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Server-side apply requests to main resources, as received (also those answered with a conflict).</summary>
    public ConcurrentQueue<AppliedObject> Applies { get; } = new();

    public string? LastClientCertificateSubject { get; private set; }

    public string? LastAuthorization { get; private set; }

    public int ListRequests;
    public int WatchRequests;
    public int StatusPatches;
    public int Deletes;

    /// <summary>
    /// Starts on a free loopback port; with a certificate it serves HTTPS (and asks for client certificates).
    /// The TusServer CRD of the chart is installed unless <paramref name="installTusServerCrd"/> is false
    /// (then a test applies it, as a user would).
    /// </summary>
    public static async Task<FakeKubernetesApiServer> StartAsync(X509Certificate2? serverCertificate = null, bool installTusServerCrd = true)
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
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" }) fake.CreateNamespace(ns);
        if (installTusServerCrd) fake.Put(YamlJson.Parse(await File.ReadAllTextAsync(RepositoryPaths.Crd).ConfigureAwait(false)));
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

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private ApiResource? Resource(Route route) =>
        _missingKinds.ContainsKey(route.Plural) ? null : _catalog.Find(route.Root, route.Plural);
}
