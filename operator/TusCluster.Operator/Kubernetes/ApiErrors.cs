using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace TusCluster.Operator.Kubernetes;

/// <summary>Reads the API server's answer out of the library's exceptions: an HTTP error, or an ERROR event in a watch.</summary>
internal static class ApiErrors
{
    public static HttpStatusCode? StatusCode(Exception e) => e switch
    {
        HttpOperationException http => http.Response?.StatusCode,
        KubernetesException { Status.Code: { } code } => (HttpStatusCode)code,
        _ => null,
    };

    public static bool Is(Exception e, HttpStatusCode code) => StatusCode(e) == code;

    /// <summary>The resource version a list or watch started from is older than the server keeps (410 Gone).</summary>
    public static bool IsGone(Exception e) => Is(e, HttpStatusCode.Gone);

    /// <summary>The Status object's reason and message, or the raw body when it is not one (e.g. a proxy's page).</summary>
    public static (string Reason, string Message) Describe(HttpOperationException e)
    {
        var body = e.Response?.Content ?? "";
        try
        {
            if (JsonNode.Parse(body) is JsonObject status)
            {
                return ((string?)status["reason"] ?? "", (string?)status["message"] ?? body);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: keep the raw text.
        }

        return (e.Response?.ReasonPhrase ?? "", body);
    }
}
