using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using TusCluster.Protocol.Engine;

namespace TusCluster.Protocol.Headers;

/// <summary>Validation of the tus headers shared by several methods.</summary>
internal static class RequestHeaders
{
    public static void RequireOctetStream(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals(TusHeaderNames.OffsetOctetStream, StringComparison.OrdinalIgnoreCase))
        {
            throw new TusException(StatusCodes.Status415UnsupportedMediaType, $"Content-Type must be {TusHeaderNames.OffsetOctetStream}");
        }
    }

    /// <summary>The value of a size header, null when absent; 400 when it is not a non-negative integer.</summary>
    public static long? OptionalNumber(HttpRequest request, string name)
    {
        var values = request.Headers[name];
        if (values.Count == 0)
        {
            return null;
        }

        return values.Count == 1 && HeaderNumber.TryParseNonNegative(values[0], out var number)
            ? number
            : throw new TusException(StatusCodes.Status400BadRequest, $"{name} must be a non-negative integer");
    }

    /// <summary>True when the request has a body to read (a length above zero, or chunked).</summary>
    public static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0
        || (request.ContentLength is null && request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);

    /// <summary>Refuses up front a body whose declared length passes what the upload can still take.</summary>
    /// <param name="problem">What a protocol with named problem types reports (no room at all: a completed upload).</param>
    public static void RequireBodyFits(HttpRequest request, long room, TusProblem? problem = null)
    {
        if (request.ContentLength is { } declared && declared > room)
        {
            throw new TusException(StatusCodes.Status413PayloadTooLarge, "the body is longer than the rest of the upload") { Problem = problem };
        }
    }
}
