using System.Reflection;
using System.Text.Json.Nodes;
using TusCluster.Backends;
using TusCluster.Operator.Reconciliation;
using TusCluster.Operator.Resources;

namespace TusCluster.Operator.Tests.Configuration;

/// <summary>
/// Ties every TUS__ environment variable the operator writes (ConfigMap, secret env, per-Deployment env) to an
/// option the upload service and the sweeper bind: a renamed or removed option fails here, not in a rollout.
/// </summary>
public sealed class ServiceConfigurationBindingTests
{
    private static readonly ServiceOptionsCatalog Catalog = new();

    [Fact]
    public void Every_variable_of_a_spec_with_every_field_set_names_a_bound_option_for_every_provider_pair()
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var storage in BackendOptions.StorageProviders)
        {
            foreach (var coordination in BackendOptions.CoordinationProviders)
            {
                var spec = EveryField(typeof(TusServerSpec));
                spec["storage"]!["provider"] = storage;
                spec["coordination"]!["provider"] = coordination;
                foreach (var (name, _) in Variables(TestServers.Server(spec), validated: false)) names.Add(name);
            }
        }

        Assert.True(names.Count > 60, $"expected the full set of variables, got {names.Count}: {string.Join(", ", names)}");
        Assert.Empty(names.Select(n => Catalog.Problem(ToKey(n), "", checkValue: false)).OfType<string>());
    }

    [Fact]
    public void The_values_of_valid_specs_convert_to_the_option_types()
    {
        var specs = new[] { TestServers.RedisOnS3(), TestServers.EtcdOnVolume(), TestServers.DynamoDbOnS3(), TestServers.PostgreSqlOnS3(), TestServers.EmbeddedOnVolume(), TestServers.AzureWithRedis(), TestServers.GcsWithPostgreSql(), TestServers.S3Only(), TestServers.S3OnPrivateCa() }
            .Select(s => s.With("limits.maxUploadSize", 1048576).With("limits.lockAcquireTimeout", "00:00:05").With("expiration.unfinishedAfter", "1.00:00:00")
                .With("server.drainPeriod", "00:00:20").With("server.tls.secretName", "tls").With("sweeper.interval", "00:05:00").With("monitoring.metricsPort", 9090));
        var problems = new List<string>();
        foreach (var spec in specs)
        {
            foreach (var (name, value) in Variables(TestServers.Server(spec), validated: true))
            {
                if (value is not null && Catalog.Problem(ToKey(name), value, checkValue: true) is { } problem) problems.Add(problem);
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void A_renamed_option_or_a_value_of_the_wrong_type_is_found()
    {
        Assert.True(Catalog.SectionCount > 15);
        Assert.Null(Catalog.Problem("Tus:Storage:S3:Bucket", "b", checkValue: true));
        Assert.Contains("Buckett", Catalog.Problem("Tus:Storage:S3:Buckett", "b", checkValue: true), StringComparison.Ordinal);
        Assert.NotNull(Catalog.Problem("Tus:Nothing:Here", "x", checkValue: false));
        Assert.NotNull(Catalog.Problem("Tus:Server:DrainPeriod", "soon", checkValue: true));
        Assert.Null(Catalog.Problem("Tus:Coordination:Etcd:Endpoints:1", "http://e:2379", checkValue: true));
    }

    private static string ToKey(string variable) => variable.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>The TUS__ variables the pods get: the ConfigMap's data and the env of both Deployments.</summary>
    private static IEnumerable<(string Name, string? Value)> Variables(TusServer server, bool validated)
    {
        IEnumerable<JsonObject> deployments;
        IEnumerable<(string, string?)> configMap;
        if (validated)
        {
            var desired = DesiredStateBuilder.Build(server);
            Assert.True(desired.IsValid, string.Join(" ", desired.Errors));
            deployments = desired.Objects.Where(o => (string?)o["kind"] == "Deployment");
            configMap = desired.Objects.Single(o => (string?)o["kind"] == "ConfigMap")["data"]!.AsObject().Select(p => (p.Key, (string?)p.Value));
        }
        else
        {
            deployments = [UploadDeploymentBuilder.Build(server, "hash"), SweeperDeploymentBuilder.Build(server, "hash")];
            configMap = ServiceConfiguration.Build(server).Select(p => (p.Key, (string?)p.Value));
        }

        var env = deployments
            .SelectMany(d => d["spec"]!["template"]!["spec"]!["containers"]!.AsArray().OfType<JsonObject>())
            .SelectMany(c => (c["env"] as JsonArray ?? []).OfType<JsonObject>())
            .Select(e => ((string)e["name"]!, (string?)e["value"]));
        return configMap.Concat(env).Where(v => v.Item1.StartsWith("TUS__", StringComparison.Ordinal));
    }

    /// <summary>A spec object with every scalar and list field set (maps and pass-through JSON left out): the most variables.</summary>
    private static JsonObject EveryField(Type type)
    {
        var obj = new JsonObject();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            JsonNode? value = t == typeof(string) ? "x"
                : t == typeof(int) || t == typeof(long) ? 1
                : t == typeof(bool) ? true
                : t == typeof(IReadOnlyList<string>) ? new JsonArray("x", "y")
                : t.IsClass && t.Namespace == typeof(TusServerSpec).Namespace ? EveryField(t)
                : null;
            if (value is not null) obj[name] = value;
        }

        return obj;
    }
}
