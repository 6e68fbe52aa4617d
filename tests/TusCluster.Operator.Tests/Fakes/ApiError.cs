using System.Net;
using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>A request the fake refuses, answered as a metav1.Status with the code and reason kube-apiserver uses.</summary>
internal sealed class ApiError(HttpStatusCode code, string reason, string message, JsonArray? causes = null) : Exception(message)
{
    public HttpStatusCode Code { get; } = code;

    public string Reason { get; } = reason;

    public JsonArray? Causes { get; } = causes;

    public static ApiError Stale(ApiResource resource, string name) => new(HttpStatusCode.Conflict, "Conflict",
        $"Operation cannot be fulfilled on {Describe(resource, name)}: the object has been modified; please apply your changes to the latest version and try again");

    public static ApiError NotFound(ApiResource resource, string name) => new(HttpStatusCode.NotFound, "NotFound", $"{Describe(resource, name)} not found");

    /// <summary>How messages name an object: deployments.apps "uploads".</summary>
    public static string Describe(ApiResource resource, string name) =>
        resource.Group.Length == 0 ? $"{resource.Plural} \"{name}\"" : $"{resource.Plural}.{resource.Group} \"{name}\"";
}
