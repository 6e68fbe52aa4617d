using System.Text.Json.Nodes;
using TusCluster.Operator.Reconciliation;

namespace TusCluster.Operator.Tests.Reconciliation;

/// <summary>spec.storage.s3.caCertificateRef: one key mounted read-only in both pods, its path given to the store and the S3 coordination.</summary>
public sealed class S3CaCertificateTests
{
    [Fact]
    public void A_ConfigMap_bundle_is_mounted_read_only_and_named_to_the_store_and_the_S3_coordination()
    {
        var server = TestServers.Server(TestServers.S3OnPrivateCa());
        var desired = DesiredStateBuilder.Build(server);

        Assert.True(desired.IsValid, string.Join(" ", desired.Errors));
        var data = DesiredStateBuilderTests.Config(desired);
        Assert.Equal("/etc/tus/s3-ca/ca.crt", data["TUS__STORAGE__S3__CACERTIFICATEFILE"]);
        Assert.Equal("/etc/tus/s3-ca/ca.crt", data["TUS__COORDINATION__S3__CACERTIFICATEFILE"]);
        foreach (var deployment in new[] { "uploads", "uploads-sweeper" })
        {
            var pod = PodSpec(desired, deployment);
            var volume = pod["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "s3-ca")!;
            Assert.Equal("s3-ca", (string?)volume["configMap"]!["name"]);
            Assert.Null(volume["secret"]);
            Assert.Equal("""[{"key":"ca.crt","path":"ca.crt"}]""", volume["configMap"]!["items"]!.ToJsonString());
            var mount = pod["containers"]![0]!["volumeMounts"]!.AsArray().Single(m => (string?)m!["name"] == "s3-ca")!;
            Assert.Equal(("/etc/tus/s3-ca", true), ((string?)mount["mountPath"], (bool?)mount["readOnly"]));
            Assert.Null(mount["subPath"]); // A subPath mount would never see a new bundle.
        }

        Assert.Contains(new ReferencedObject(ReferencedObject.ConfigMap, "s3-ca"), ReferencedObjects.Of(server.Spec));
    }

    [Fact]
    public void A_Secret_key_is_projected_alone_and_only_the_store_gets_it_when_the_coordination_is_not_S3()
    {
        var spec = TestServers.RedisOnS3()
            .With("storage.s3.serviceUrl", "https://minio.internal:9000")
            .With("storage.s3.caCertificateRef", new JsonObject { ["secretName"] = "minio-ca", ["key"] = "bundle.pem" });
        var server = TestServers.Server(spec);
        var desired = DesiredStateBuilder.Build(server);

        Assert.True(desired.IsValid, string.Join(" ", desired.Errors));
        var data = DesiredStateBuilderTests.Config(desired);
        Assert.Equal("/etc/tus/s3-ca/bundle.pem", data["TUS__STORAGE__S3__CACERTIFICATEFILE"]);
        Assert.False(data.ContainsKey("TUS__COORDINATION__S3__CACERTIFICATEFILE"));
        var volume = PodSpec(desired, "uploads")["volumes"]!.AsArray().Single(v => (string?)v!["name"] == "s3-ca")!;
        // Only the named key: a cert-manager Secret also carries tls.key, which the pods must not see.
        Assert.Equal("""{"secretName":"minio-ca","items":[{"key":"bundle.pem","path":"bundle.pem"}]}""", volume["secret"]!.ToJsonString());
        Assert.Contains(new ReferencedObject(ReferencedObject.Secret, "minio-ca"), ReferencedObjects.Of(server.Spec));
        Assert.DoesNotContain(ReferencedObjects.Of(server.Spec), r => r.Name == "s3-ca");
    }

    [Fact]
    public void Without_a_reference_there_is_no_volume_no_variable_and_no_referenced_bundle()
    {
        var server = TestServers.Server(TestServers.S3Only());
        var desired = DesiredStateBuilder.Build(server);

        Assert.True(desired.IsValid, string.Join(" ", desired.Errors));
        Assert.DoesNotContain(DesiredStateBuilderTests.Config(desired).Keys, k => k.EndsWith("CACERTIFICATEFILE", StringComparison.Ordinal));
        Assert.DoesNotContain(PodSpec(desired, "uploads")["volumes"]!.AsArray(), v => (string?)v!["name"] == "s3-ca");
        Assert.Equal([new ReferencedObject(ReferencedObject.Secret, "s3-creds")], ReferencedObjects.Of(server.Spec));
    }

    [Fact]
    public void The_file_variable_is_set_from_the_spec_so_extraConfig_cannot_set_it_too()
    {
        var spec = TestServers.S3OnPrivateCa().With("server.extraConfig", new JsonObject { ["Tus:Storage:S3:CaCertificateFile"] = "/elsewhere.pem" });

        var desired = DesiredStateBuilder.Build(TestServers.Server(spec));

        Assert.Contains(desired.Errors, e => e.Contains("'Tus:Storage:S3:CaCertificateFile' is set from another spec field", StringComparison.Ordinal));
    }

    private static JsonNode PodSpec(DesiredState desired, string deployment) =>
        DesiredStateBuilderTests.Find(desired, "Deployment", deployment)["spec"]!["template"]!["spec"]!;
}
