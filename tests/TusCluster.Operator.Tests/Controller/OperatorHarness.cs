using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;
using TusCluster.Operator.Hosting;
using TusCluster.Operator.Kubernetes;
using TusCluster.Operator.Reconciliation;
using TusCluster.Operator.Tests.Fakes;

namespace TusCluster.Operator.Tests.Controller;

/// <summary>The real controller (watch, queue, reconciler, HTTP client) running against a fake API server.</summary>
internal sealed class OperatorHarness : IAsyncDisposable
{
    public const string Namespace = "media";
    private readonly CancellationTokenSource _stop = new();
    private Task _running = Task.CompletedTask;

    private OperatorHarness(FakeKubernetesApiServer fake, IKubernetes api)
    {
        Fake = fake;
        Api = api;
    }

    public FakeKubernetesApiServer Fake { get; }

    public IKubernetes Api { get; }

    public static async Task<OperatorHarness> StartAsync(Action<FakeKubernetesApiServer>? beforeStart = null)
    {
        var fake = await FakeKubernetesApiServer.StartAsync();
        beforeStart?.Invoke(fake);
        var api = Client(fake);
        var options = Options();
        var cluster = new ClusterApi(api);
        var references = new ReferenceIndex();
        var reconciler = new TusServerReconciler(cluster, references, TimeProvider.System, NullLogger<TusServerReconciler>.Instance);
        var controller = new TusServerController(cluster, reconciler, references, options, TimeProvider.System, NullLoggerFactory.Instance);
        var harness = new OperatorHarness(fake, api);
        harness._running = controller.RunAsync(harness._stop.Token);
        return harness;
    }

    /// <summary>KubernetesClient pointed at the fake over plain HTTP, as a kubeconfig without credentials would.</summary>
    public static IKubernetes Client(FakeKubernetesApiServer fake) => new k8s.Kubernetes(new KubernetesClientConfiguration { Host = fake.BaseAddress.ToString() });

    public static OperatorOptions Options() => new()
    {
        ResyncPeriod = TimeSpan.FromSeconds(30),
        WatchTimeout = TimeSpan.FromSeconds(30),
        LeaseDuration = TimeSpan.FromSeconds(2),
        RenewDeadline = TimeSpan.FromSeconds(1),
        RetryPeriod = TimeSpan.FromMilliseconds(200),
    };

    public JsonObject? TusServer(string name) => Fake.Get($"/apis/tuscluster.io/v1alpha1/namespaces/{Namespace}/tusservers/{name}");

    public JsonObject? Deployment(string name) => Fake.Get($"/apis/apps/v1/namespaces/{Namespace}/deployments/{name}");

    public JsonObject? Object(string apiRoot, string plural, string name) => Fake.Get($"{apiRoot}/namespaces/{Namespace}/{plural}/{name}");

    public string? Condition(string server, string type, string field = "status") =>
        (TusServer(server)?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => (string?)c["type"] == type)?[field]?.GetValue<string>();

    public string? ConfigHash(string deployment) =>
        (string?)Deployment(deployment)?["spec"]?["template"]?["metadata"]?["annotations"]?["tuscluster.io/config-hash"];

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        Api.Dispose();
        await Fake.DisposeAsync();
        _stop.Dispose();
    }
}
