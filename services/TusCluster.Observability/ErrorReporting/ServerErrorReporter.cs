using Microsoft.AspNetCore.Http;
using Sentry;

namespace TusCluster.Observability.ErrorReporting;

/// <summary>
/// Reports a 500 answer that no exception explains. An exception that escapes the pipeline is reported by the
/// SDK's own middleware (it runs first, around this one) and never reaches the code after <c>next</c> here,
/// so each failed request is one event. Other 5xx answers are expected ones (see docs/observability.md).
/// </summary>
internal sealed class ServerErrorReporter(RequestDelegate next, IHub hub)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (context.Response.StatusCode == StatusCodes.Status500InternalServerError)
        {
            var method = context.Request.Method;
            hub.CaptureEvent(new SentryEvent
            {
                Level = SentryLevel.Error,
                Logger = typeof(ServerErrorReporter).FullName,
                Message = new SentryMessage { Message = "{0} answered 500 without an exception", Params = [method], Formatted = $"{method} answered 500 without an exception" },

                // One issue per method, not one per upload: the upload is a tag.
                Fingerprint = ["tus-answered-500", method],
            });
        }
    }
}
