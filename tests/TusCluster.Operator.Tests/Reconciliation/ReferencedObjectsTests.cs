using TusCluster.Operator.Reconciliation;

namespace TusCluster.Operator.Tests.Reconciliation;

public sealed class ReferencedObjectsTests
{
    [Fact]
    public void Credentials_and_extraEnv_sources_are_referenced_and_the_TLS_Secret_is_not()
    {
        var spec = TestServers.RedisOnS3()
            .With("server.tls.secretName", "uploads-tls")
            .With("pod.extraEnv", TestServers.Spec("""
                { "list": [
                  { "name": "A", "valueFrom": { "secretKeyRef": { "name": "extra", "key": "a" } } },
                  { "name": "B", "valueFrom": { "configMapKeyRef": { "name": "features", "key": "b" } } },
                  { "name": "C", "value": "plain" }
                ] }
                """)["list"]!.DeepClone());

        var referenced = ReferencedObjects.Of(TestServers.Server(spec).Spec);

        Assert.Equal(
            [new("ConfigMap", "features"), new("Secret", "extra"), new("Secret", "redis-auth"), new ReferencedObject("Secret", "s3-creds")],
            referenced);
    }

    [Fact]
    public void Nothing_referenced_keeps_the_config_hash_of_a_spec_without_referenced_data()
    {
        var server = TestServers.Server(TestServers.EmbeddedOnVolume());
        Assert.Empty(ReferencedObjects.Of(server.Spec));
        Assert.Equal(DesiredStateBuilder.Build(server).ConfigHash, DesiredStateBuilder.Build(server, "").ConfigHash);
        Assert.NotEqual(DesiredStateBuilder.Build(server).ConfigHash, DesiredStateBuilder.Build(server, "abc").ConfigHash);
    }
}
