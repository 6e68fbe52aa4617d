using System.Text.Json.Nodes;
using TusCluster.Operator.Reconciliation;

namespace TusCluster.Operator.Tests.Reconciliation;

/// <summary>Azure and GCS storage and S3 coordination, mapped to the services' keys, Secrets and volumes.</summary>
public sealed class ObjectStorageProvidersTests
{
    [Fact]
    public void Azure_takes_its_connection_string_from_the_Secret_and_the_rest_from_the_ConfigMap()
    {
        var desired = DesiredStateBuilder.Build(TestServers.Server(TestServers.AzureWithRedis()));

        Assert.True(desired.IsValid, string.Join(" ", desired.Errors));
        var data = ConfigMapData(desired);
        Assert.Equal("Azure", data["TUS__STORAGE__PROVIDER"]);
        Assert.Equal("uploads", data["TUS__STORAGE__AZURE__CONTAINER"]);
        Assert.Equal("4194304", data["TUS__STORAGE__AZURE__BLOCKSIZE"]);
        Assert.False(data.ContainsKey("TUS__STORAGE__AZURE__CONNECTIONSTRING"));
        var secretRef = Env(desired, "uploads", "TUS__STORAGE__AZURE__CONNECTIONSTRING")!["valueFrom"]!["secretKeyRef"]!;
        Assert.Equal(("azure", "connectionString"), ((string?)secretRef["name"], (string?)secretRef["key"]));
    }

    [Fact]
    public void Gcs_mounts_the_key_Secret_read_only_and_names_its_file_and_the_key_rolls_the_pods()
    {
        var server = TestServers.Server(TestServers.GcsWithPostgreSql());
        var desired = DesiredStateBuilder.Build(server);

        Assert.True(desired.IsValid, string.Join(" ", desired.Errors));
        Assert.Equal("/etc/tus/gcs/key.json", ConfigMapData(desired)["TUS__STORAGE__GCS__CREDENTIALSFILE"]);
        Assert.Equal("tus/", ConfigMapData(desired)["TUS__STORAGE__GCS__OBJECTPREFIX"]);
        foreach (var deployment in new[] { "uploads", "uploads-sweeper" })
        {
            var pod = Deployment(desired, deployment)["spec"]!["template"]!["spec"]!;
            var volume = pod["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "gcs-credentials")!;
            Assert.Equal("gcs-key", (string?)volume["secret"]!["secretName"]);
            var mount = pod["containers"]![0]!["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "gcs-credentials")!;
            Assert.Equal(("/etc/tus/gcs", true), ((string?)mount["mountPath"], (bool?)mount["readOnly"]));
            Assert.Null(mount["subPath"]);
        }

        Assert.Contains(new ReferencedObject(ReferencedObject.Secret, "gcs-key"), ReferencedObjects.Of(server.Spec));
    }

    [Fact]
    public void S3_coordination_reuses_the_stores_endpoint_region_and_credentials_and_defaults_to_its_bucket()
    {
        var desired = DesiredStateBuilder.Build(TestServers.Server(TestServers.S3Only()));

        Assert.True(desired.IsValid, string.Join(" ", desired.Errors));
        var data = ConfigMapData(desired);
        Assert.Equal("S3", data["TUS__COORDINATION__PROVIDER"]);
        Assert.Equal("uploads", data["TUS__COORDINATION__S3__BUCKET"]);
        Assert.Equal("coordination/", data["TUS__COORDINATION__S3__KEYPREFIX"]);
        Assert.Equal("http://rgw:7480", data["TUS__COORDINATION__S3__SERVICEURL"]);
        Assert.Equal("true", data["TUS__COORDINATION__S3__FORCEPATHSTYLE"]);
        Assert.Equal("s3-creds", (string?)Env(desired, "uploads-sweeper", "TUS__COORDINATION__S3__ACCESSKEY")!["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.Equal("s3-creds", (string?)Env(desired, "uploads", "TUS__COORDINATION__S3__SECRETKEY")!["valueFrom"]!["secretKeyRef"]!["name"]);
    }

    [Theory]
    [InlineData("coordination.provider", "S3", "storage.provider", "FileSystem", "it needs spec.storage.provider S3")]
    [InlineData("storage.azure.accountUrl", "https://acct.blob.core.windows.net", null, null, "exactly one of accountUrl")]
    [InlineData("storage.gcs.bucket", "x", "storage.provider", "Azure", "spec.storage.gcs is set but spec.storage.provider is Azure")]
    public void Invalid_object_storage_combinations_are_reported(string path, string value, string? otherPath, string? otherValue, string expected)
    {
        var spec = TestServers.AzureWithRedis();
        if (path.StartsWith("coordination", StringComparison.Ordinal)) spec = TestServers.EtcdOnVolume();
        spec.With(path, value);
        if (otherPath is not null) spec.With(otherPath, otherValue);

        var desired = DesiredStateBuilder.Build(TestServers.Server(spec));

        Assert.Contains(desired.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    private static Dictionary<string, string?> ConfigMapData(DesiredState desired) =>
        desired.Objects.Single(o => (string?)o["kind"] == "ConfigMap")["data"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value);

    private static JsonObject Deployment(DesiredState desired, string name) =>
        desired.Objects.Single(o => (string?)o["kind"] == "Deployment" && (string?)o["metadata"]!["name"] == name);

    private static JsonObject? Env(DesiredState desired, string deployment, string name) =>
        Deployment(desired, deployment)["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!.AsArray().OfType<JsonObject>().SingleOrDefault(e => (string?)e["name"] == name);
}
