using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using TusCluster.Operator.Tests.Schemas;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>Bodies in and out, errors as metav1.Status, and the checks every write of an object makes.</summary>
internal sealed partial class FakeKubernetesApiServer
{
    private const int MaxBodyBytes = 3 * 1024 * 1024;

    /// <summary>Reads a JSON (or YAML, for apply) object; null after answering 400/413 when it is none.</summary>
    private static async Task<JsonObject?> ReadObjectAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await WriteStatusAsync(context, HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", "request entity too large").ConfigureAwait(false);
            return null;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync().ConfigureAwait(false);
        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException) when (context.Request.ContentType?.StartsWith("application/apply-patch+yaml", StringComparison.Ordinal) == true)
        {
            return YamlJson.Parse(text);
        }
        catch (JsonException e)
        {
            await WriteStatusAsync(context, HttpStatusCode.BadRequest, "BadRequest", "the body of the request was in an unknown format: " + e.Message).ConfigureAwait(false);
            return null;
        }
    }

    private static Task WriteJsonAsync(HttpContext context, HttpStatusCode status, JsonObject body)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task WriteStatusAsync(HttpContext context, HttpStatusCode status, string reason, string message, JsonArray? causes = null)
    {
        var body = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = (int)status,
        };
        if (causes is not null) body["details"] = new JsonObject { ["causes"] = causes };
        return WriteJsonAsync(context, status, body);
    }

    private static Task NotFoundAsync(HttpContext context, Route route, ApiResource resource) =>
        WriteStatusAsync(context, HttpStatusCode.NotFound, "NotFound", $"{Describe(resource, route.Name!)} not found");

    private static string Describe(ApiResource resource, string name) => ApiError.Describe(resource, name);

    /// <summary>
    /// Answers 400 when the body's kind, namespace or name disagree with the request path. A body without
    /// apiVersion and kind takes them from the path, as kube-apiserver's decoder does (typed clients send none).
    /// </summary>
    private static async Task<bool> RejectBodyAsync(HttpContext context, Route route, ApiResource resource, JsonObject body, bool requireName)
    {
        if (body["kind"] is null && body["apiVersion"] is null)
        {
            body["apiVersion"] = resource.GroupVersion;
            body["kind"] = resource.Kind;
        }

        var metadata = body["metadata"] as JsonObject;
        string? problem = null;
        if ((string?)body["kind"] != resource.Kind) problem = $"the body kind {(string?)body["kind"]} does not match {resource.Kind}";
        else if (metadata is null) problem = "metadata is required";
        else if (route.Namespace is not null && (string?)metadata["namespace"] is { } ns && ns != route.Namespace)
            problem = "the namespace of the provided object does not match the namespace sent on the request";
        else if (requireName && (string?)metadata["name"] != route.Name) problem = "the name of the object does not match the name on the URL";
        if (problem is null) return false;
        await WriteStatusAsync(context, HttpStatusCode.BadRequest, "BadRequest", problem).ConfigureAwait(false);
        return true;
    }

    /// <summary>Name and namespace come from the request path, and clients do not write managedFields.</summary>
    private static void Prepare(JsonObject obj, Route route)
    {
        var metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        if (route.Namespace is not null) metadata["namespace"] = route.Namespace;
        if (route.Name is not null) metadata["name"] = route.Name;
    }

    /// <summary>The field manager of a write: the fieldManager parameter, else the user agent up to its first '/', as kube-apiserver does.</summary>
    private static string Manager(HttpContext context) =>
        context.Request.Query["fieldManager"].FirstOrDefault() is { Length: > 0 } manager ? manager
        : context.Request.Headers.UserAgent.ToString().Split('/')[0] is { Length: > 0 } agent ? agent : "unknown";

    private static bool WantsTable(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);
}
