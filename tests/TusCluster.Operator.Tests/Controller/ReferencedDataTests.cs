using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace TusCluster.Operator.Tests.Controller;

/// <summary>Rotating a referenced Secret or ConfigMap rolls the pods (env vars are read at start); unrelated ones do not.</summary>
public sealed class ReferencedDataTests
{
    [Fact]
    public async Task A_rotated_credential_Secret_changes_the_config_hash_and_an_unreferenced_Secret_does_not()
    {
        await using var op = await OperatorHarness.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        await op.Api.CoreV1.CreateNamespacedSecretAsync(Secret("s3-creds", "old-key"), OperatorHarness.Namespace, cancellationToken: ct);
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "uploads", TestServers.RedisOnS3());
        await Eventually.HoldsAsync(() => op.ConfigHash("uploads") is not null && op.ConfigHash("uploads-sweeper") is not null, "the Deployments exist");
        var first = op.ConfigHash("uploads");

        await op.Api.CoreV1.CreateNamespacedSecretAsync(Secret("unrelated", "x"), OperatorHarness.Namespace, cancellationToken: ct);
        await Task.Delay(1000, ct);
        Assert.Equal(first, op.ConfigHash("uploads"));

        await op.Api.CoreV1.ReplaceNamespacedSecretAsync(
            await WithDataAsync(op.Api, "s3-creds", "new-key", ct), "s3-creds", OperatorHarness.Namespace, cancellationToken: ct);
        await Eventually.HoldsAsync(() => op.ConfigHash("uploads") != first, "the upload pods roll after the Secret changed");
        await Eventually.HoldsAsync(() => op.ConfigHash("uploads-sweeper") == op.ConfigHash("uploads"), "the sweeper rolls with it");
        // The digest is all that leaves the operator: no Secret value is written into a child.
        Assert.DoesNotContain(op.Fake.Applies, a => a.Body.ToJsonString().Contains("new-key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_ConfigMap_named_by_extraEnv_rolls_the_pods_when_it_appears_and_when_it_changes()
    {
        await using var op = await OperatorHarness.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var spec = TestServers.RedisOnS3().With("pod.extraEnv", TestServers.Spec("""
            { "list": [ { "name": "FEATURE", "valueFrom": { "configMapKeyRef": { "name": "features", "key": "flag" } } } ] }
            """)["list"]!.DeepClone());
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "uploads", spec);
        await Eventually.HoldsAsync(() => op.ConfigHash("uploads") is not null, "the Deployment exists");
        var absent = op.ConfigHash("uploads");

        await op.Api.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "features" }, Data = new Dictionary<string, string> { ["flag"] = "on" } }, OperatorHarness.Namespace, cancellationToken: ct);
        await Eventually.HoldsAsync(() => op.ConfigHash("uploads") != absent, "creating the ConfigMap rolls the pods");
        var created = op.ConfigHash("uploads");

        var configMap = await op.Api.CoreV1.ReadNamespacedConfigMapAsync("features", OperatorHarness.Namespace, cancellationToken: ct);
        configMap.Data["flag"] = "off";
        await op.Api.CoreV1.ReplaceNamespacedConfigMapAsync(configMap, "features", OperatorHarness.Namespace, cancellationToken: ct);
        await Eventually.HoldsAsync(() => op.ConfigHash("uploads") != created && op.ConfigHash("uploads") != absent, "changing it rolls them again");
    }

    [Theory]
    [InlineData("configMapName")]
    [InlineData("secretName")]
    public async Task A_new_S3_CA_bundle_rolls_the_pods_because_the_S3_client_reads_it_only_at_start(string source)
    {
        await using var op = await OperatorHarness.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var spec = TestServers.S3OnPrivateCa().With("storage.s3.caCertificateRef", new JsonObject { [source] = "internal-ca" });
        await CreateBundleAsync(op.Api, source, "-----BEGIN CERTIFICATE-----\nold\n-----END CERTIFICATE-----\n", ct);
        op.Fake.CreateTusServer(OperatorHarness.Namespace, "uploads", spec);
        await Eventually.HoldsAsync(() => op.ConfigHash("uploads") is not null && op.ConfigHash("uploads-sweeper") is not null, "the Deployments exist");
        var first = op.ConfigHash("uploads");

        await ReplaceBundleAsync(op.Api, source, "-----BEGIN CERTIFICATE-----\nnew\n-----END CERTIFICATE-----\n", ct);

        await Eventually.HoldsAsync(() => op.ConfigHash("uploads") != first, "the upload pods roll after the CA bundle changed");
        await Eventually.HoldsAsync(() => op.ConfigHash("uploads-sweeper") == op.ConfigHash("uploads"), "the sweeper rolls with it");
    }

    private static async Task CreateBundleAsync(IKubernetes api, string source, string pem, CancellationToken ct)
    {
        var metadata = new V1ObjectMeta { Name = "internal-ca" };
        if (source == "configMapName")
        {
            await api.CoreV1.CreateNamespacedConfigMapAsync(
                new V1ConfigMap { Metadata = metadata, Data = new Dictionary<string, string> { ["ca.crt"] = pem } }, OperatorHarness.Namespace, cancellationToken: ct);
        }
        else
        {
            await api.CoreV1.CreateNamespacedSecretAsync(
                new V1Secret { Metadata = metadata, Data = new Dictionary<string, byte[]> { ["ca.crt"] = Encoding.UTF8.GetBytes(pem) } }, OperatorHarness.Namespace, cancellationToken: ct);
        }
    }

    private static async Task ReplaceBundleAsync(IKubernetes api, string source, string pem, CancellationToken ct)
    {
        if (source == "configMapName")
        {
            var configMap = await api.CoreV1.ReadNamespacedConfigMapAsync("internal-ca", OperatorHarness.Namespace, cancellationToken: ct);
            configMap.Data["ca.crt"] = pem;
            await api.CoreV1.ReplaceNamespacedConfigMapAsync(configMap, "internal-ca", OperatorHarness.Namespace, cancellationToken: ct);
        }
        else
        {
            var secret = await api.CoreV1.ReadNamespacedSecretAsync("internal-ca", OperatorHarness.Namespace, cancellationToken: ct);
            secret.Data["ca.crt"] = Encoding.UTF8.GetBytes(pem);
            await api.CoreV1.ReplaceNamespacedSecretAsync(secret, "internal-ca", OperatorHarness.Namespace, cancellationToken: ct);
        }
    }

    private static V1Secret Secret(string name, string accessKey) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = new Dictionary<string, byte[]> { ["accessKey"] = Encoding.UTF8.GetBytes(accessKey), ["secretKey"] = Encoding.UTF8.GetBytes("s") },
    };

    private static async Task<V1Secret> WithDataAsync(IKubernetes api, string name, string accessKey, CancellationToken ct)
    {
        var secret = await api.CoreV1.ReadNamespacedSecretAsync(name, OperatorHarness.Namespace, cancellationToken: ct);
        secret.Data["accessKey"] = Encoding.UTF8.GetBytes(accessKey);
        return secret;
    }
}
