using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>The fake API server behaves as kube-apiserver where kubectl's tests do not reach: watches, versions, patches, the collector.</summary>
public sealed class FakeKubernetesApiServerTests
{
    private const string ConfigMaps = "/api/v1/namespaces/media/configmaps";

    [Fact]
    public async Task A_watch_resumes_after_a_bookmark_and_answers_410_once_the_history_is_compacted()
    {
        await using var api = await FakeKubernetesApiServer.StartAsync();
        api.BookmarkInterval = TimeSpan.FromMilliseconds(200);
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        var first = await SendAsync(http, HttpMethod.Post, ConfigMaps, ConfigMap("a", "1"));
        var version = (string)first["metadata"]!["resourceVersion"]!;
        await SendAsync(http, HttpMethod.Post, ConfigMaps, ConfigMap("b", "2"));

        var events = await WatchAsync(http, $"{ConfigMaps}?watch=true&resourceVersion={version}&allowWatchBookmarks=true&timeoutSeconds=1");
        Assert.Equal("ADDED", (string?)events[0]["type"]);
        Assert.Equal("b", (string?)events[0]["object"]!["metadata"]!["name"]);
        var bookmark = events.First(e => (string?)e["type"] == "BOOKMARK");
        Assert.Equal("ConfigMap", (string?)bookmark["object"]!["kind"]);

        await SendAsync(http, HttpMethod.Post, ConfigMaps, ConfigMap("c", "3"));
        var resumed = await WatchAsync(http, $"{ConfigMaps}?watch=true&resourceVersion={bookmark["object"]!["metadata"]!["resourceVersion"]}&timeoutSeconds=1");
        Assert.Equal(["c"], resumed.Select(e => (string?)e["object"]!["metadata"]!["name"]));

        api.CompactHistory();
        var gone = await WatchAsync(http, $"{ConfigMaps}?watch=true&resourceVersion={version}&timeoutSeconds=1");
        Assert.Equal("ERROR", (string?)gone.Single()["type"]);
        Assert.Equal(410, (int?)gone.Single()["object"]!["code"]);
    }

    [Fact]
    public async Task A_stale_resource_version_is_409_and_only_spec_changes_move_the_generation()
    {
        await using var api = await FakeKubernetesApiServer.StartAsync();
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        var server = api.CreateTusServer("media", "u", TestServers.RedisOnS3());
        var path = "/apis/tuscluster.io/v1alpha1/namespaces/media/tusservers/u";
        Assert.Equal(2, (int?)server["spec"]!["replicas"]);

        var labelled = await SendAsync(http, HttpMethod.Patch, path, new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["team"] = "media" } } }, "application/merge-patch+json");
        var statused = await SendAsync(http, HttpMethod.Patch, path + "/status", new JsonArray(new JsonObject { ["op"] = "add", ["path"] = "/status", ["value"] = new JsonObject { ["readyReplicas"] = 1 } }), "application/json-patch+json");
        Assert.Equal(1, (long)statused["metadata"]!["generation"]!);
        Assert.Equal(1, (int?)statused["status"]!["readyReplicas"]);

        var stale = (JsonObject)labelled.DeepClone();
        stale["spec"]!["replicas"] = 3;
        using var conflict = await RequestAsync(http, HttpMethod.Put, path, stale);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);

        var current = await SendAsync(http, HttpMethod.Get, path);
        current["spec"]!["replicas"] = 3;
        current["status"] = new JsonObject { ["readyReplicas"] = 9 };
        var replaced = await SendAsync(http, HttpMethod.Put, path, current);
        Assert.Equal(2, (long)replaced["metadata"]!["generation"]!);
        Assert.Equal(1, (int?)replaced["status"]!["readyReplicas"]);
    }

    [Fact]
    public async Task The_garbage_collector_orphans_on_request_and_keeps_dependents_that_still_have_an_owner()
    {
        await using var api = await FakeKubernetesApiServer.StartAsync();
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        var a = await SendAsync(http, HttpMethod.Post, ConfigMaps, ConfigMap("owner-a", "1"));
        var b = await SendAsync(http, HttpMethod.Post, ConfigMaps, ConfigMap("owner-b", "1"));
        await SendAsync(http, HttpMethod.Post, ConfigMaps, ConfigMap("shared", "1", a, b));
        await SendAsync(http, HttpMethod.Post, ConfigMaps, ConfigMap("only-a", "1", a));
        await SendAsync(http, HttpMethod.Post, ConfigMaps, ConfigMap("only-b", "1", b));

        using var deleteA = await RequestAsync(http, HttpMethod.Delete, $"{ConfigMaps}/owner-a", new JsonObject { ["propagationPolicy"] = "Background" });
        Assert.Equal(HttpStatusCode.OK, deleteA.StatusCode);
        Assert.Null(api.Get($"{ConfigMaps}/only-a"));
        Assert.Single((JsonArray)api.Get($"{ConfigMaps}/shared")!["metadata"]!["ownerReferences"]!);

        using var deleteB = await RequestAsync(http, HttpMethod.Delete, $"{ConfigMaps}/owner-b", new JsonObject { ["propagationPolicy"] = "Orphan" });
        Assert.Empty((JsonArray)api.Get($"{ConfigMaps}/only-b")!["metadata"]!["ownerReferences"]!);
        Assert.NotNull(api.Get($"{ConfigMaps}/shared"));
    }

    [Fact]
    public async Task The_garbage_collector_removes_a_dependent_written_after_its_owner_was_deleted()
    {
        await using var api = await FakeKubernetesApiServer.StartAsync();
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        var owner = await SendAsync(http, HttpMethod.Post, ConfigMaps, ConfigMap("owner", "1"));
        using var delete = await RequestAsync(http, HttpMethod.Delete, $"{ConfigMaps}/owner");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);

        await SendAsync(http, HttpMethod.Post, ConfigMaps, ConfigMap("late", "1", owner));
        await SendAsync(http, HttpMethod.Post, ConfigMaps, ConfigMap("unowned", "1"));

        Assert.Null(api.Get($"{ConfigMaps}/late"));
        Assert.NotNull(api.Get($"{ConfigMaps}/unowned"));
    }

    private static JsonObject ConfigMap(string name, string value, params JsonObject[] owners) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["ownerReferences"] = new JsonArray(owners.Select(o => (JsonNode)new JsonObject
            {
                ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["name"] = o["metadata"]!["name"]!.DeepClone(), ["uid"] = o["metadata"]!["uid"]!.DeepClone(),
            }).ToArray()),
        },
        ["data"] = new JsonObject { ["value"] = value },
    };

    private static async Task<HttpResponseMessage> RequestAsync(HttpClient http, HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, contentType);
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<JsonObject> SendAsync(HttpClient http, HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json")
    {
        using var response = await RequestAsync(http, method, path, body, contentType);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Reads a watch until the server ends it (timeoutSeconds).</summary>
    private static async Task<List<JsonObject>> WatchAsync(HttpClient http, string path)
    {
        var text = await http.GetStringAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }
}
