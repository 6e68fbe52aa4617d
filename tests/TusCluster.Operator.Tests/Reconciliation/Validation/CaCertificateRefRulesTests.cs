using System.Text.Json.Nodes;
using TusCluster.Operator.Reconciliation;
using TusCluster.Operator.Status;

namespace TusCluster.Operator.Tests.Reconciliation.Validation;

/// <summary>A caCertificateRef that names no source, two sources, a bad name or key, or a non-https endpoint builds nothing and says why.</summary>
public sealed class CaCertificateRefRulesTests
{
    public static TheoryData<string, string, string> Refusals() => new()
    {
        { "both", """{"configMapName":"s3-ca","secretName":"s3-ca"}""", "spec.storage.s3.caCertificateRef needs exactly one of configMapName (e.g. a trust-manager bundle) and secretName" },
        { "neither", """{"key":"ca.crt"}""", "spec.storage.s3.caCertificateRef needs exactly one of configMapName" },
        { "bad-configmap-name", """{"configMapName":"S3_CA"}""", "spec.storage.s3.caCertificateRef.configMapName 'S3_CA' is not an object name" },
        { "bad-secret-name", """{"secretName":"-ca"}""", "spec.storage.s3.caCertificateRef.secretName '-ca' is not an object name" },
        { "key-with-slash", """{"configMapName":"s3-ca","key":"certs/ca.crt"}""", "spec.storage.s3.caCertificateRef.key 'certs/ca.crt' is not a data key" },
        { "key-dot", """{"configMapName":"s3-ca","key":"."}""", "spec.storage.s3.caCertificateRef.key '.' is not a data key" },
        { "key-dotdot", """{"secretName":"s3-ca","key":"..data"}""", "spec.storage.s3.caCertificateRef.key '..data' is not a data key" },
        { "key-empty", """{"secretName":"s3-ca","key":""}""", "spec.storage.s3.caCertificateRef.key '' is not a data key" },
        { "key-long", $$"""{"secretName":"s3-ca","key":"{{new string('k', 254)}}"}""", "is not a data key (1 to 253 of letters" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_bad_reference_is_refused_with_a_Degraded_condition_naming_the_field(string name, string reference, string expected)
    {
        var server = TestServers.Server(TestServers.S3OnPrivateCa().With("storage.s3.caCertificateRef", JsonNode.Parse(reference)));

        var desired = DesiredStateBuilder.Build(server);

        Assert.False(desired.IsValid, name);
        Assert.Empty(desired.Objects);
        Assert.Contains(desired.Errors, e => e.Contains(expected, StringComparison.Ordinal));
        var degraded = StatusBuilder.Build(server, desired, new ObservedState(null, null), DateTimeOffset.UtcNow)["conditions"]!.AsArray()
            .Single(c => (string?)c!["type"] == "Degraded")!;
        Assert.Equal(("True", "InvalidSpec"), ((string?)degraded["status"], (string?)degraded["reason"]));
        Assert.Contains(expected, (string?)degraded["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://rgw:7480", "needs an https spec.storage.s3.serviceUrl (the CA is what that endpoint's certificate chains to); it is 'http://rgw:7480'.")]
    [InlineData(null, "needs an https spec.storage.s3.serviceUrl (the CA is what that endpoint's certificate chains to); it is not set (AWS).")]
    public void A_CA_for_an_endpoint_that_is_not_https_is_refused_rather_than_stopping_the_pods_at_start(string? serviceUrl, string expected)
    {
        var desired = DesiredStateBuilder.Build(TestServers.Server(TestServers.S3OnPrivateCa().With("storage.s3.serviceUrl", serviceUrl)));

        Assert.Equal(["spec.storage.s3.caCertificateRef " + expected], desired.Errors);
    }

    [Fact]
    public void Every_problem_of_one_reference_is_reported_together()
    {
        var reference = JsonNode.Parse("""{"configMapName":"A","secretName":"b","key":"../ca"}""");
        var desired = DesiredStateBuilder.Build(TestServers.Server(TestServers.S3OnPrivateCa().With("storage.s3.caCertificateRef", reference)));

        Assert.Equal(3, desired.Errors.Count);
        Assert.All(desired.Errors, e => Assert.StartsWith("spec.storage.s3.caCertificateRef", e, StringComparison.Ordinal));
    }
}
