using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace TusCluster.Observability.Tracing;

/// <summary>
/// ASP.NET Core's own activity is the request span, but without the OpenTelemetry ASP.NET Core
/// instrumentation (not restorable here) it carries no HTTP attributes. This adds the semantic-convention
/// ones that trace views filter on, and marks server errors.
/// </summary>
internal sealed class RequestSpanEnricher(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var activity = Activity.Current;
        if (activity is null || !activity.IsAllDataRequested)
        {
            await next(context);
            return;
        }

        var request = context.Request;
        activity.DisplayName = request.Method;
        activity.SetTag("http.request.method", request.Method);
        activity.SetTag("url.scheme", request.Scheme);
        activity.SetTag("url.path", request.PathBase + request.Path);
        activity.SetTag("server.port", context.Connection.LocalPort);
        activity.SetTag("client.address", context.Connection.RemoteIpAddress?.ToString());
        try
        {
            await next(context);
        }
        finally
        {
            var status = context.Response.StatusCode;
            activity.SetTag("http.response.status_code", status);
            if (status >= 500)
            {
                activity.SetStatus(ActivityStatusCode.Error);
                activity.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
