using System.Globalization;
using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Engine;
using TusCluster.Protocol.Headers;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Drafts;

/// <summary>
/// Phrases the engine's answer to a draft request in the draft's terms: completeness, offset, length and
/// limits from the upload the engine answered with, the version's status codes, and no tus headers.
/// </summary>
internal sealed class DraftResponses(UploadLimitHeader limits)
{
    private static readonly string[] TusOnlyHeaders =
    [
        TusHeaderNames.TusResumable, TusHeaderNames.TusVersion, TusHeaderNames.TusExtension, TusHeaderNames.TusMaxSize,
        TusHeaderNames.TusChecksumAlgorithm, TusHeaderNames.UploadExpires, TusHeaderNames.UploadDeferLength, TusHeaderNames.UploadConcat,
    ];

    /// <summary>OPTIONS on the creation endpoint announces the limits (draft -05 on; harmless before).</summary>
    public void ApplyOptions(HttpContext context, DraftInteropVersion version)
    {
        if (version.HasLimitsProblemsAndDigests)
        {
            context.Response.Headers[DraftHeaderNames.UploadLimit] = limits.Format(version, record: null);
        }
    }

    /// <summary>After the engine succeeded; throws the draft's refusal where the draft refuses what tus accepts.</summary>
    public void Apply(HttpContext context, DraftExchange exchange)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        RemoveTusHeaders(response);
        if (context.Features.Get<UploadOutcome>() is not { } outcome)
        {
            return;
        }

        var method = context.Request.Method;
        if (HttpMethods.IsPatch(method) && outcome.WasComplete && (exchange.Complete != true || exchange.HasBody))
        {
            // tus answers an empty PATCH to a finished upload with its offset; the draft forbids touching it.
            // A completing empty append at the right offset is taken as the repeat it is.
            throw new TusException(StatusCodes.Status400BadRequest, "the upload is already complete") { Problem = new(TusProblemKind.CompletedUpload) };
        }

        var record = outcome.Record;
        var version = exchange.Version;
        TusResponses.SetOffset(response, record.Offset);
        SetComplete(response, version, record.Status == UploadStatus.Finished || record.IsComplete);
        if (record.Length is { } length)
        {
            response.Headers[TusHeaderNames.UploadLength] = length.ToString(CultureInfo.InvariantCulture);
        }

        if (version.HasLimitsProblemsAndDigests)
        {
            response.Headers[DraftHeaderNames.UploadLimit] = limits.Format(version, record);
        }

        if (HttpMethods.IsHead(method))
        {
            response.StatusCode = StatusCodes.Status204NoContent;
        }
        else if (HttpMethods.IsPatch(method))
        {
            response.StatusCode = version.AppendStatus;
        }
    }

    /// <summary>A refusal: the problem types the version defines as application/problem+json, anything else as text.</summary>
    public Task WriteErrorAsync(HttpContext context, DraftExchange exchange, TusException refusal)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        RemoveTusHeaders(response);
        var version = exchange.Version;
        var problem = refusal.Problem is { } p && Defines(version, p.Kind) ? p : null;
        var status = refusal.Problem?.Kind switch
        {
            TusProblemKind.CompletedUpload or TusProblemKind.InconsistentLength or TusProblemKind.DigestMismatch => StatusCodes.Status400BadRequest,
            _ => refusal.StatusCode,
        };

        // A response that did not complete the upload says so (draft -06 on requires it; earlier ones allow it).
        if (!version.IncompleteHeader && HttpMethods.IsPatch(context.Request.Method))
        {
            SetComplete(response, version, complete: false);
        }

        if (problem is null)
        {
            return TusResponses.WriteErrorAsync(context, status, refusal.Message, refusal.Headers, refusal.Body);
        }

        foreach (var (name, value) in refusal.Headers)
        {
            response.Headers[name] = value;
        }

        response.StatusCode = status;
        response.ContentType = DraftHeaderNames.ProblemJson;
        return HttpMethods.IsHead(context.Request.Method)
            ? Task.CompletedTask
            : response.Body.WriteAsync(ProblemDetailsJson.Write(problem, refusal.Message), context.RequestAborted).AsTask();
    }

    private static bool Defines(DraftInteropVersion version, TusProblemKind kind) => kind switch
    {
        TusProblemKind.MismatchingOffset or TusProblemKind.CompletedUpload => version.HasLimitsProblemsAndDigests,
        TusProblemKind.InconsistentLength => version.HasInconsistentLengthProblem,
        _ => false,
    };

    private static void SetComplete(HttpResponse response, DraftInteropVersion version, bool complete)
    {
        if (version.IncompleteHeader)
        {
            response.Headers[DraftHeaderNames.UploadIncomplete] = StructuredBoolean.Format(!complete);
        }
        else
        {
            response.Headers[DraftHeaderNames.UploadComplete] = StructuredBoolean.Format(complete);
        }
    }

    private static void RemoveTusHeaders(HttpResponse response)
    {
        foreach (var name in TusOnlyHeaders)
        {
            response.Headers.Remove(name);
        }
    }
}
