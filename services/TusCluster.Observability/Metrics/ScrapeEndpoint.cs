using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TusCluster.Observability.Options;
using TusCluster.Observability.Telemetry;

namespace TusCluster.Observability.Metrics;

/// <summary>
/// Serves the scrape with the OpenTelemetry Prometheus exporter's middleware. A middleware branch
/// rather than an endpoint, so it answers before the tus engine, which owns every path under its base
/// path. With a port of its own, that port serves the scrape and nothing else.
/// </summary>
internal static class ScrapeEndpoint
{
    public static void Use(WebApplication app, MetricsOptions options)
    {
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            meterProvider: null,
            predicate: context => OpenTelemetryRegistration.IsScrape(context, options)
                && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)),
            path: null,
            configureBranchedPipeline: null,
            optionsName: null);

        app.Use(async (context, next) =>
        {
            var isScrape = OpenTelemetryRegistration.IsScrape(context, options);
            if (isScrape || (options.Port is { } port && context.Connection.LocalPort == port))
            {
                context.Response.StatusCode = isScrape ? StatusCodes.Status405MethodNotAllowed : StatusCodes.Status404NotFound;
                return;
            }

            await next(context);
        });
    }
}
