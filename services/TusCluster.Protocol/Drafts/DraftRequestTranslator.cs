using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using TusCluster.Protocol.Engine;
using TusCluster.Protocol.Headers;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Drafts;

/// <summary>
/// Turns a request that speaks the draft into the tus request the engine already serves: the draft's
/// completeness becomes a length (declared, derived from Content-Length, or fixed when the body ends), its
/// media types become tus's, its digests become the chunk's checksum. Nothing of tus leaks in: tus-only
/// headers on a draft request are dropped. The engine then runs unchanged, one upload model for both.
/// </summary>
internal sealed class DraftRequestTranslator(IOptions<TusProtocolOptions> options)
{
    private static readonly string[] TusOnlyHeaders =
        [TusHeaderNames.UploadConcat, TusHeaderNames.UploadDeferLength, TusHeaderNames.UploadChecksum, HeaderNames.Trailer];

    private readonly TusProtocolOptions _options = options.Value;

    /// <summary>Null for a tus request; otherwise the draft exchange, with the request rewritten for the engine.</summary>
    public DraftExchange? Translate(HttpContext context)
    {
        var request = context.Request;
        if (!request.Headers.TryGetValue(DraftHeaderNames.InteropVersion, out var named))
        {
            return null;
        }

        var version = DraftInteropVersion.Parse(named.Count == 1 ? named[0] : null)
            ?? throw new TusException(
                StatusCodes.Status400BadRequest,
                $"{DraftHeaderNames.InteropVersion} '{named}' is not supported; this server speaks interop versions {DraftInteropVersion.Lowest} to {DraftInteropVersion.Highest}");

        var exchange = new DraftExchange(version, ReadComplete(request, version), RequestHeaders.HasBody(request));
        context.Features.Set(exchange);
        foreach (var name in TusOnlyHeaders)
        {
            request.Headers.Remove(name);
        }

        RejectFieldsTheVersionForbids(request, version);
        var completesAtEnd = false;
        var path = request.Path.Value ?? string.Empty;
        if (HttpMethods.IsPost(request.Method) && path is "" or "/")
        {
            completesAtEnd = TranslateCreation(request, exchange);
        }
        else if (HttpMethods.IsPatch(request.Method))
        {
            completesAtEnd = TranslateAppend(request, exchange);
        }

        context.Features.Set(new RequestProtocolFeature(UploadProtocol.IetfDraft, completesAtEnd));
        return exchange;
    }

    /// <summary>
    /// Drafts -01 to -05 (versions 3 to 6) require a 400 for an offset or completeness field where it has no
    /// meaning: on offset retrieval and cancellation, and an offset on creation. Later drafts dropped the rule.
    /// </summary>
    private static void RejectFieldsTheVersionForbids(HttpRequest request, DraftInteropVersion version)
    {
        if (version.Number > 6)
        {
            return;
        }

        var complete = version.IncompleteHeader ? DraftHeaderNames.UploadIncomplete : DraftHeaderNames.UploadComplete;
        var method = request.Method;
        var forbidden = HttpMethods.IsHead(method) || HttpMethods.IsDelete(method) ? [TusHeaderNames.UploadOffset, complete]
            : HttpMethods.IsPost(method) ? [TusHeaderNames.UploadOffset]
            : Array.Empty<string>();
        foreach (var name in forbidden)
        {
            if (request.Headers.ContainsKey(name))
            {
                throw new TusException(StatusCodes.Status400BadRequest, $"{name} is not allowed on a {method} request in interop version {version}");
            }
        }
    }

    /// <summary>Version 3 inverts the flag and calls a request without it complete (except at creation).</summary>
    private static bool? ReadComplete(HttpRequest request, DraftInteropVersion version) =>
        version.IncompleteHeader
            ? request.Headers.ContainsKey(DraftHeaderNames.UploadIncomplete)
                ? !StructuredBoolean.Parse(request.Headers[DraftHeaderNames.UploadIncomplete])
                : null
            : StructuredBoolean.Parse(request.Headers[DraftHeaderNames.UploadComplete]);

    private bool TranslateCreation(HttpRequest request, DraftExchange exchange)
    {
        var complete = exchange.Complete ?? throw MissingComplete(exchange.Version);
        if (!request.Headers.ContainsKey(TusHeaderNames.UploadMetadata) && request.ContentType is { Length: > 0 } type)
        {
            // The representation's media type is the closest the draft has to tus metadata; downloads serve it back.
            request.Headers[TusHeaderNames.UploadMetadata] = "filetype " + Convert.ToBase64String(Encoding.UTF8.GetBytes(type));
        }

        var completesAtEnd = FixLength(request, exchange, complete, offset: 0);
        if (exchange.HasBody)
        {
            request.ContentType = TusHeaderNames.OffsetOctetStream;
        }

        TranslateDigests(request, exchange, wholeRepresentation: complete);
        return completesAtEnd;
    }

    private bool TranslateAppend(HttpRequest request, DraftExchange exchange)
    {
        var version = exchange.Version;
        if (version.AppendMediaType is { } required
            && !(MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals(required, StringComparison.OrdinalIgnoreCase)))
        {
            throw new TusException(StatusCodes.Status415UnsupportedMediaType, $"Content-Type must be {required} in interop version {version}");
        }

        // Version 3 marks the parts before the last one; a request without the mark is the last.
        var complete = exchange.Complete ?? (version.IncompleteHeader ? true : throw MissingComplete(version));
        request.ContentType = TusHeaderNames.OffsetOctetStream;
        var offset = HeaderNumber.TryParseNonNegative(request.Headers[TusHeaderNames.UploadOffset], out var o) ? o : (long?)null;
        TranslateDigests(request, exchange, wholeRepresentation: false);
        return offset is { } start && FixLength(request, exchange, complete, start);
    }

    /// <summary>
    /// A completing request with Content-Length declares the length (offset + Content-Length), which must
    /// agree with an Upload-Length sent beside it. Without either, the length stays open: deferred, or fixed
    /// by the engine when a completing body ends whole (the return value).
    /// </summary>
    private static bool FixLength(HttpRequest request, DraftExchange exchange, bool complete, long offset)
    {
        var declared = request.Headers[TusHeaderNames.UploadLength].ToString();
        if (complete && request.ContentLength is { } contentLength)
        {
            var length = (offset + contentLength).ToString(CultureInfo.InvariantCulture);
            if (declared.Length > 0 && declared != length)
            {
                throw new TusException(StatusCodes.Status400BadRequest, "Upload-Length does not match the upload's offset plus Content-Length")
                {
                    Problem = new(TusProblemKind.InconsistentLength),
                };
            }

            request.Headers[TusHeaderNames.UploadLength] = length;
            return false;
        }

        if (declared.Length == 0 && HttpMethods.IsPost(request.Method))
        {
            request.Headers[TusHeaderNames.UploadDeferLength] = "1";
        }

        return complete && declared.Length == 0;
    }

    /// <summary>
    /// Content-Digest covers this request's content, which is exactly what the engine checks. Repr-Digest
    /// covers the whole representation, so it can only be checked on a request that carries all of it.
    /// </summary>
    private void TranslateDigests(HttpRequest request, DraftExchange exchange, bool wholeRepresentation)
    {
        if (!exchange.Version.HasLimitsProblemsAndDigests)
        {
            return;
        }

        var repr = request.Headers[DraftHeaderNames.ReprDigest].ToString();
        var content = request.Headers[DraftHeaderNames.ContentDigest].ToString();
        if (repr.Length > 0 && content.Length > 0)
        {
            throw new TusException(StatusCodes.Status400BadRequest, "send either Repr-Digest or Content-Digest, not both");
        }

        if (repr.Length > 0 && !wholeRepresentation)
        {
            throw new TusException(
                StatusCodes.Status400BadRequest,
                "Repr-Digest is checked only on a creation that carries the whole representation (Upload-Complete: ?1); send Content-Digest with each request instead");
        }

        var (name, value) = repr.Length > 0 ? (DraftHeaderNames.ReprDigest, repr) : (DraftHeaderNames.ContentDigest, content);
        if (value.Length > 0)
        {
            request.Headers[TusHeaderNames.UploadChecksum] = DigestFields.ToUploadChecksum(name, value, _options.EnabledChecksums);
        }
    }

    private static TusException MissingComplete(DraftInteropVersion version) =>
        new(StatusCodes.Status400BadRequest, version.IncompleteHeader
            ? $"{DraftHeaderNames.UploadIncomplete} (?0 or ?1) is required to create an upload"
            : $"{DraftHeaderNames.UploadComplete} (?0 or ?1) is required");
}
