using Microsoft.AspNetCore.Http;
using TusCluster.Observability.Options;

namespace TusCluster.Observability.Metrics;

/// <summary>
/// Serves the scrape. A middleware rather than an endpoint, so it answers before the tus engine, which
/// owns every path under its base path. With a port of its own, that port serves the scrape and nothing else.
/// </summary>
internal sealed class MetricsEndpoint(RequestDelegate next, PrometheusExposition exposition, MetricsOptions options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var onMetricsPort = options.Port is { } port && context.Connection.LocalPort == port;
        var isScrape = context.Request.Path.Equals(options.Path, StringComparison.Ordinal) && (options.Port is null || onMetricsPort);
        if (isScrape && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)))
        {
            context.Response.ContentType = PrometheusExposition.ContentType;
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync(exposition.Collect(), context.RequestAborted);
            return;
        }

        if (isScrape || onMetricsPort)
        {
            context.Response.StatusCode = isScrape ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status404NotFound;
            return;
        }

        await next(context);
    }
}
