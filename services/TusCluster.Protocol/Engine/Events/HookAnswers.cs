using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Events;

namespace TusCluster.Protocol.Engine.Events;

/// <summary>Turns blocking hooks' decisions into what the client gets.</summary>
internal static class HookAnswers
{
    private static readonly object PendingKey = new();

    /// <summary>The receiver's own refusal: its status (or <paramref name="status"/>), body and headers.</summary>
    public static TusException Refusal(HookDecision decision, int status, string reason)
    {
        var response = decision.HttpResponse;
        return new TusException(response?.StatusCode is { } code and >= 400 and <= 599 ? code : status, reason)
        {
            Headers = [.. response?.Header ?? new Dictionary<string, string>()],
            Body = response?.Body,
        };
    }

    /// <summary>
    /// pre-finish: a status of 400 or more refuses the commit that completes the upload (nothing is
    /// committed); anything else the receiver said is added to the response once the request succeeds.
    /// </summary>
    public static void ApplyPreFinish(HttpContext? context, HookDecision decision)
    {
        if (decision.HttpResponse is not { } response)
        {
            return;
        }

        if (response.StatusCode is >= 400)
        {
            throw Refusal(decision, StatusCodes.Status400BadRequest, "the pre-finish hook refused to finish the upload");
        }

        context?.Items[PendingKey] = response;
    }

    /// <summary>Adds a pending pre-finish response to a successful answer (before it is sent).</summary>
    public static async Task ApplyPendingAsync(HttpContext context)
    {
        if (context.Items[PendingKey] is not HookHttpResponse response || context.Response.HasStarted)
        {
            return;
        }

        foreach (var (name, value) in response.Header)
        {
            context.Response.Headers[name] = value;
        }

        if (response.StatusCode is >= 200 and < 400)
        {
            context.Response.StatusCode = response.StatusCode.Value;
        }

        if (!string.IsNullOrEmpty(response.Body) && !HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.WriteAsync(response.Body, context.RequestAborted);
        }
    }
}
