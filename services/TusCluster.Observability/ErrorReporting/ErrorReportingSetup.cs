using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sentry;
using Sentry.AspNetCore;
using Sentry.Extensibility;

namespace TusCluster.Observability.ErrorReporting;

/// <summary>
/// Sentry for a web host, only when <c>Tus:Sentry:Dsn</c> is set. Otherwise the SDK is never registered, so it
/// cannot start from SENTRY_DSN or a <c>Sentry</c> configuration section behind the operator's back. When on,
/// every setting that decides what leaves the process is set here, after the SDK has read its own sources.
/// </summary>
internal static class ErrorReportingSetup
{
    public static void Add(WebApplicationBuilder builder, ReplicaIdentity identity)
    {
        var section = builder.Configuration.GetSection(ErrorReportingOptions.SectionName);
        builder.Services.AddOptions<ErrorReportingOptions>().Bind(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ErrorReportingOptions>, ErrorReportingOptionsValidator>();

        var settings = section.Get<ErrorReportingOptions>() ?? new ErrorReportingOptions();
        if (!settings.IsEnabled || new ErrorReportingOptionsValidator().Validate(null, settings).Failed)
        {
            // Invalid settings stop the host at start-up validation, with every bad value named.
            return;
        }

        var environment = settings.Environment ?? builder.Environment.EnvironmentName.ToLowerInvariant();
        builder.WebHost.UseSentry(o => Configure(o, settings, environment, identity));
    }

    /// <summary>Reports 500 answers; a no-op when Sentry is off.</summary>
    public static void Use(IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetService<IHub>() is not null)
        {
            app.UseMiddleware<ServerErrorReporter>();
        }
    }

    private static void Configure(SentryAspNetCoreOptions o, ErrorReportingOptions settings, string environment, ReplicaIdentity identity)
    {
        o.Dsn = settings.Dsn!.Trim();
        o.Environment = environment;
        o.Release = identity.ServiceName + "@" + identity.Version;
        o.ServerName = identity.ReplicaName;
        o.SampleRate = (float)settings.SampleRate;
        o.TracesSampleRate = settings.TracesSampleRate;
        o.Debug = settings.Debug;

        // Privacy: no user, address, cookie or body; headers and query strings are cut by the scrubber.
        o.SendDefaultPii = false;
        o.IsEnvironmentUser = false;
        o.MaxRequestBodySize = RequestSize.None;
        o.SetBeforeSend((@event, _) => RequestDataScrubber.Scrub(@event));
        o.AddEventProcessor(new ErrorEventTags(identity));

        // Events are exceptions and 500 answers only (the middlewares); logs are breadcrumbs from Warning up, never
        // events, so a dependency outage that logs a warning per request does not flood the project.
        o.MinimumEventLevel = LogLevel.None;
        o.MinimumBreadcrumbLevel = LogLevel.Warning;

        // Outgoing calls (S3, etcd, hook receivers) are OpenTelemetry's to trace; their failures are not ours to report.
        o.DisableSentryHttpMessageHandler = true;
        o.CaptureFailedRequests = false;
        o.TracePropagationTargets = [];
        o.CaptureBlockingCalls = false;
        o.AutoSessionTracking = false;
        o.SendClientReports = false;
        o.EnableLogs = false;
        o.CacheDirectoryPath = null;
    }
}
