using System.Text.Json.Nodes;
using TusCluster.Operator.Tests.Fakes;
using TusCluster.Operator.Tests.Schemas;

namespace TusCluster.Operator.Tests.Kubectl;

/// <summary>
/// A cluster as a user meets it: the fake API server without the CRD, `kubectl apply -f operator/deploy/install.yaml`
/// (namespace, CRD, RBAC, the operator's Deployment, which nothing runs here), then the operator as a process
/// with a kubeconfig, at its default timings.
/// </summary>
internal sealed class KubectlScenario : IAsyncDisposable
{
    public const string Namespace = "media";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private KubectlScenario(FakeKubernetesApiServer api, KubectlClient kubectl, KubectlResult install)
    {
        Api = api;
        Kubectl = kubectl;
        Install = install;
    }

    public FakeKubernetesApiServer Api { get; }

    public KubectlClient Kubectl { get; }

    /// <summary>What `kubectl apply -f install.yaml` printed.</summary>
    public KubectlResult Install { get; }

    public OperatorProcess? Operator { get; private set; }

    public static async Task<KubectlScenario> StartAsync()
    {
        var api = await FakeKubernetesApiServer.StartAsync(installTusServerCrd: false);
        api.CreateNamespace(Namespace);
        var kubectl = KubectlClient.For(api.BaseAddress, Namespace);
        var install = (await kubectl.RunAsync("apply", "-f", RepositoryPaths.InstallManifest)).Succeeded();
        var scenario = new KubectlScenario(api, kubectl, install);
        scenario.Operator = OperatorProcess.Start(kubectl.KubeconfigPath);
        return scenario;
    }

    public JsonObject? Deployment(string name) => Api.Get($"/apis/apps/v1/namespaces/{Namespace}/deployments/{name}");

    public JsonObject? TusServer(string name) => Api.Get($"/apis/tuscluster.io/v1alpha1/namespaces/{Namespace}/tusservers/{name}");

    public static string? Image(JsonObject? deployment) => (string?)deployment?["spec"]?["template"]?["spec"]?["containers"]?[0]?["image"];

    /// <summary>Waits (time-based, patient with a loaded machine); on time-out the operator's output explains.</summary>
    public async Task EventuallyAsync(Func<bool> condition, string description)
    {
        try
        {
            await Eventually.HoldsAsync(condition, description, Patience);
        }
        catch (Xunit.Sdk.FailException)
        {
            Assert.Fail($"Timed out waiting until {description}. Operator output:\n{Operator?.Output}");
        }
    }

    /// <summary>A manifest file for `kubectl apply -f`, in the kubectl client's directory.</summary>
    public string Manifest(string name, string yaml)
    {
        var path = Path.Combine(Path.GetDirectoryName(Kubectl.KubeconfigPath)!, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (Operator is not null) await Operator.DisposeAsync();
        Kubectl.Dispose();
        await Api.DisposeAsync();
    }
}
