using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;

namespace TusCluster.Operator.Kubernetes;

/// <summary>
/// The few Kubernetes REST calls the operator needs, over HttpClient: get, list, watch, server-side apply,
/// status patch, delete, and create/replace with optimistic concurrency (for the leader Lease).
/// </summary>
internal sealed class KubernetesApiClient : IDisposable
{
    public const string FieldManager = "tuscluster-operator";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly KubernetesConnection _connection;

    public KubernetesApiClient(KubernetesConnection connection)
    {
        _connection = connection;
        _http = new HttpClient(KubernetesHttpHandler.Create(connection)) { BaseAddress = connection.Server, Timeout = Timeout.InfiniteTimeSpan };
    }

    public async Task<JsonObject?> GetAsync(ResourceKind kind, string ns, string name, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, kind.ObjectPath(ns, name));
        return await SendAsync(request, notFoundIsNull: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JsonObject> ListAsync(ResourceKind kind, string? ns, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, kind.CollectionPath(ns));
        return (await SendAsync(request, notFoundIsNull: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Server-side apply under <see cref="FieldManager"/>; force takes over fields another manager set (we own these objects).</summary>
    public async Task<JsonObject> ApplyAsync(JsonObject manifest, CancellationToken cancellationToken)
    {
        var kind = ResourceKind.Of(manifest);
        var metadata = manifest["metadata"]!;
        var path = kind.ObjectPath((string)metadata["namespace"]!, (string)metadata["name"]!) + $"?fieldManager={FieldManager}&force=true";
        using var request = Request(HttpMethod.Patch, path);
        // JSON is YAML, so the apply-patch+yaml content type takes a JSON body.
        request.Content = new StringContent(manifest.ToJsonString(), Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        return (await SendAsync(request, notFoundIsNull: false, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<JsonObject> PatchStatusAsync(ResourceKind kind, string ns, string name, JsonObject status, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Patch, kind.ObjectPath(ns, name) + "/status");
        request.Content = new StringContent(new JsonObject { ["status"] = status }.ToJsonString(), Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/merge-patch+json");
        return (await SendAsync(request, notFoundIsNull: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>Deletes an object only if it still has the given uid; false when it does not exist.</summary>
    public async Task<bool> DeleteAsync(ResourceKind kind, string ns, string name, string uid, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Delete, kind.ObjectPath(ns, name));
        var options = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "DeleteOptions",
            ["propagationPolicy"] = "Background",
            ["preconditions"] = new JsonObject { ["uid"] = uid },
        };
        request.Content = new StringContent(options.ToJsonString(), Encoding.UTF8, "application/json");
        return await SendAsync(request, notFoundIsNull: true, cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task<JsonObject> CreateAsync(ResourceKind kind, string ns, JsonObject manifest, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, kind.CollectionPath(ns));
        request.Content = new StringContent(manifest.ToJsonString(), Encoding.UTF8, "application/json");
        return (await SendAsync(request, notFoundIsNull: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>PUT; the manifest's metadata.resourceVersion makes it fail with 409 if someone else wrote first.</summary>
    public async Task<JsonObject> ReplaceAsync(ResourceKind kind, string ns, string name, JsonObject manifest, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Put, kind.ObjectPath(ns, name));
        request.Content = new StringContent(manifest.ToJsonString(), Encoding.UTF8, "application/json");
        return (await SendAsync(request, notFoundIsNull: false, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Streams watch events from a resource version until the server ends the watch (timeout or a dropped
    /// connection ends the enumeration). An expired resource version throws with <see cref="KubernetesApiException.IsExpired"/>.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        ResourceKind kind, string? ns, string resourceVersion, TimeSpan serverTimeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = $"{kind.CollectionPath(ns)}?watch=true&allowWatchBookmarks=true&resourceVersion={Uri.EscapeDataString(resourceVersion)}&timeoutSeconds={(int)serverTimeout.TotalSeconds}";
        using var request = Request(HttpMethod.Get, path);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);

        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                yield break;
            }

            if (line is null) yield break;
            if (line.Length == 0) continue;
            var node = JsonNode.Parse(line) as JsonObject ?? throw new InvalidDataException("A watch event is not a JSON object.");
            var type = (string?)node["type"] ?? "";
            var obj = node["object"] as JsonObject ?? new JsonObject();
            if (type == "ERROR")
            {
                var code = Resources.JsonNumbers.Int32(obj["code"]) ?? 500;
                throw new KubernetesApiException((HttpStatusCode)code, (string?)obj["reason"] ?? "", (string?)obj["message"] ?? "watch error");
            }

            yield return new WatchEvent(type, obj);
        }
    }

    public void Dispose() => _http.Dispose();

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_connection.Token() is { Length: > 0 } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private async Task<JsonObject?> SendAsync(HttpRequestMessage request, bool notFoundIsNull, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, timeout.Token).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        return body.Length == 0 ? [] : JsonNode.Parse(body) as JsonObject ?? [];
    }

    private static async Task<KubernetesApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string reason = response.ReasonPhrase ?? "", message = body;
        try
        {
            if (JsonNode.Parse(body) is JsonObject status)
            {
                reason = (string?)status["reason"] ?? reason;
                message = (string?)status["message"] ?? message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a Status object (e.g. a proxy's HTML page): keep the raw text.
        }

        return new KubernetesApiException(response.StatusCode, reason, message);
    }
}
