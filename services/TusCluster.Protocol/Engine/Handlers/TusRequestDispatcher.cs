using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Drafts;
using TusCluster.Protocol.Engine.Events;
using TusCluster.Protocol.Events;
using TusCluster.Protocol.Headers;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Telemetry;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Handlers;

/// <summary>
/// Entry point of the engine for requests under the base path: routes by method, enforces
/// Tus-Resumable, and turns every refusal and dependency failure into its precise status. A request that
/// names an IETF draft interop version is translated to tus on the way in and back on the way out.
/// </summary>
internal sealed class TusRequestDispatcher(
    IServiceProvider services,
    DrainState drain,
    DraftRequestTranslator drafts,
    DraftResponses draftResponses,
    IOptions<TusProtocolOptions> options,
    ILogger<TusRequestDispatcher> logger)
{
    private const string CollectionMethods = "OPTIONS, POST";
    private const string UploadMethods = "OPTIONS, HEAD, PATCH, DELETE, GET";
    private readonly string _retryAfter = ((int)options.Value.RetryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    /// <param name="context">The request, with PathBase set to the tus base path.</param>
    public async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsOptions(method))
        {
            services.GetRequiredService<OptionsHandler>().Handle(context);
            if (DraftInteropVersion.Parse(context.Request.Headers[DraftHeaderNames.InteropVersion]) is { } version)
            {
                draftResponses.ApplyOptions(context, version);
            }

            return;
        }

        context.Response.Headers[TusHeaderNames.TusResumable] = TusHeaderNames.ProtocolVersion;
        using var measurement = TusTelemetry.MeasureRequest(context);
        var tracked = !drain.IsDraining;
        if (tracked)
        {
            drain.RequestStarted();
        }

        try
        {
            var draft = drafts.Translate(context);
            await RouteAsync(context, method, draft is not null);
            if (draft is not null)
            {
                draftResponses.Apply(context, draft);
            }

            await HookAnswers.ApplyPendingAsync(context);
        }
        catch (TusException e)
        {
            await FailAsync(context, e);
        }
        catch (HookUnavailableException e)
        {
            logger.LogWarning(e, "{Method} {Path} failed: a blocking hook could not decide", method, context.Request.PathBase + context.Request.Path);
            await FailAsync(context, new(StatusCodes.Status503ServiceUnavailable, "a hook receiver is unavailable; retry") { Headers = [new("Retry-After", _retryAfter)] });
        }
        catch (LockTimeoutException)
        {
            await FailAsync(context, new(StatusCodes.Status423Locked, "the upload is locked by another request; retry"));
        }
        catch (LeaseLostException)
        {
            await FailAsync(context, new(StatusCodes.Status423Locked, "another request took the upload over; check the offset and retry"));
        }
        catch (StoreUnavailableException e) when (e.OutOfSpace)
        {
            logger.LogWarning(e, "{Method} {Path} failed: the store is out of space", method, context.Request.PathBase + context.Request.Path);
            await FailAsync(context, new(StatusCodes.Status507InsufficientStorage, "the store is out of space; retry later") { Headers = [new("Retry-After", _retryAfter)] });
        }
        catch (Exception e) when (e is CoordinationUnavailableException or StoreUnavailableException)
        {
            logger.LogWarning(e, "{Method} {Path} failed on a dependency", method, context.Request.PathBase + context.Request.Path);
            await FailAsync(context, new(StatusCodes.Status503ServiceUnavailable, "a storage or coordination service is unavailable; retry") { Headers = [new("Retry-After", _retryAfter)] });
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client is gone: nobody to answer.
        }
        catch (OperationCanceledException e)
        {
            // Not the client's doing: a dependency call timed out without saying so.
            logger.LogWarning(e, "{Method} {Path} was cancelled by a dependency", method, context.Request.PathBase + context.Request.Path);
            await FailAsync(context, new(StatusCodes.Status503ServiceUnavailable, "a storage or coordination service did not answer in time; retry") { Headers = [new("Retry-After", _retryAfter)] });
        }
        finally
        {
            if (tracked)
            {
                drain.RequestEnded();
            }
        }
    }

    private Task FailAsync(HttpContext context, TusException refusal) =>
        context.Features.Get<DraftExchange>() is { } draft
            ? draftResponses.WriteErrorAsync(context, draft, refusal)
            : TusResponses.WriteErrorAsync(context, refusal.StatusCode, refusal.Message, refusal.Headers, refusal.Body);

    /// <param name="isDraft">The request speaks the IETF draft (already translated): it carries no Tus-Resumable.</param>
    private Task RouteAsync(HttpContext context, string method, bool isDraft)
    {
        if (drain.IsDraining)
        {
            context.Response.Headers.Connection = "close";
            throw new TusException(StatusCodes.Status503ServiceUnavailable, "this replica is shutting down; retry")
            {
                Headers = [new("Retry-After", "1")],
            };
        }

        // GET is a plain download that browsers make without tus headers.
        if (!isDraft && !HttpMethods.IsGet(method) && context.Request.Headers[TusHeaderNames.TusResumable] != TusHeaderNames.ProtocolVersion)
        {
            throw new TusException(StatusCodes.Status412PreconditionFailed, $"Tus-Resumable must be {TusHeaderNames.ProtocolVersion}")
            {
                Headers = [new(TusHeaderNames.TusVersion, TusHeaderNames.ProtocolVersion)],
            };
        }

        var path = context.Request.Path.Value ?? string.Empty;
        if (path is "" or "/")
        {
            return HttpMethods.IsPost(method)
                ? services.GetRequiredService<CreationHandler>().HandleAsync(context)
                : throw NotAllowed(CollectionMethods);
        }

        // The reserved id is the sweeper's lock, never an upload: it must not wait for that lock.
        var id = path[1..];
        if (!UploadId.IsUpload(id))
        {
            throw new TusException(StatusCodes.Status404NotFound, "upload not found");
        }

        TusTelemetry.TagUpload(id);
        return method switch
        {
            _ when HttpMethods.IsHead(method) => services.GetRequiredService<HeadHandler>().HandleAsync(context, id),
            _ when HttpMethods.IsPatch(method) => services.GetRequiredService<PatchHandler>().HandleAsync(context, id),
            _ when HttpMethods.IsDelete(method) => services.GetRequiredService<DeleteHandler>().HandleAsync(context, id),
            _ when HttpMethods.IsGet(method) => services.GetRequiredService<DownloadHandler>().HandleAsync(context, id),
            _ => throw NotAllowed(UploadMethods),
        };
    }

    private static TusException NotAllowed(string allow) =>
        new(StatusCodes.Status405MethodNotAllowed, "method not allowed here") { Headers = [new("Allow", allow)] };
}
