using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Engine.Events;
using TusCluster.Protocol.Events;
using TusCluster.Protocol.Headers;
using TusCluster.Protocol.Storage;
using TusCluster.Protocol.Telemetry;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Handlers;

/// <summary>
/// Entry point of the engine for requests under the base path: routes by method, enforces
/// Tus-Resumable, and turns every refusal and dependency failure into its precise status.
/// </summary>
internal sealed class TusRequestDispatcher(IServiceProvider services, DrainState drain, IOptions<TusProtocolOptions> options, ILogger<TusRequestDispatcher> logger)
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
            await RouteAsync(context, method);
            await HookAnswers.ApplyPendingAsync(context);
        }
        catch (TusException e)
        {
            await TusResponses.WriteErrorAsync(context, e.StatusCode, e.Message, e.Headers, e.Body);
        }
        catch (HookUnavailableException e)
        {
            logger.LogWarning(e, "{Method} {Path} failed: a blocking hook could not decide", method, context.Request.PathBase + context.Request.Path);
            await TusResponses.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "a hook receiver is unavailable; retry", [new("Retry-After", _retryAfter)]);
        }
        catch (LockTimeoutException)
        {
            await TusResponses.WriteErrorAsync(context, StatusCodes.Status423Locked, "the upload is locked by another request; retry");
        }
        catch (LeaseLostException)
        {
            await TusResponses.WriteErrorAsync(context, StatusCodes.Status423Locked, "another request took the upload over; check the offset and retry");
        }
        catch (StoreUnavailableException e) when (e.OutOfSpace)
        {
            logger.LogWarning(e, "{Method} {Path} failed: the store is out of space", method, context.Request.PathBase + context.Request.Path);
            await TusResponses.WriteErrorAsync(context, StatusCodes.Status507InsufficientStorage, "the store is out of space; retry later", [new("Retry-After", _retryAfter)]);
        }
        catch (Exception e) when (e is CoordinationUnavailableException or StoreUnavailableException)
        {
            logger.LogWarning(e, "{Method} {Path} failed on a dependency", method, context.Request.PathBase + context.Request.Path);
            await TusResponses.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "a storage or coordination service is unavailable; retry", [new("Retry-After", _retryAfter)]);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client is gone: nobody to answer.
        }
        catch (OperationCanceledException e)
        {
            // Not the client's doing: a dependency call timed out without saying so.
            logger.LogWarning(e, "{Method} {Path} was cancelled by a dependency", method, context.Request.PathBase + context.Request.Path);
            await TusResponses.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "a storage or coordination service did not answer in time; retry", [new("Retry-After", _retryAfter)]);
        }
        finally
        {
            if (tracked)
            {
                drain.RequestEnded();
            }
        }
    }

    private Task RouteAsync(HttpContext context, string method)
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
        if (!HttpMethods.IsGet(method) && context.Request.Headers[TusHeaderNames.TusResumable] != TusHeaderNames.ProtocolVersion)
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
