using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine;

/// <summary>
/// Set on a request by a protocol front other than tus (the IETF draft's translator): which protocol the
/// request speaks, and what it says about its body that tus headers cannot carry. Absent: tus.
/// </summary>
internal sealed class RequestProtocolFeature(UploadProtocol protocol, bool completesAtEnd)
{
    public UploadProtocol Protocol { get; } = protocol;

    /// <summary>The body ends the upload, whatever its length turns out to be (no length was declared).</summary>
    public bool CompletesAtEnd { get; } = completesAtEnd;

    public static UploadProtocol Of(HttpContext context) =>
        context.Features.Get<RequestProtocolFeature>()?.Protocol ?? UploadProtocol.Tus;

    public static bool CompletesAtEndOf(HttpContext context) =>
        context.Features.Get<RequestProtocolFeature>()?.CompletesAtEnd ?? false;

    /// <summary>
    /// An upload is resumed through the protocol that created it: the draft defines no way to continue a
    /// tus upload (nor tus a draft one), and their notions of completeness differ, so mixing them is refused.
    /// </summary>
    public static void RequireSameProtocol(HttpContext context, UploadRecord record)
    {
        var protocol = Of(context);
        if (record.Protocol != protocol)
        {
            throw new TusException(
                StatusCodes.Status400BadRequest,
                record.Protocol == UploadProtocol.Tus
                    ? "this upload was created with the tus protocol; resume it with tus (Tus-Resumable), not the IETF draft"
                    : "this upload was created with the IETF resumable upload draft; resume it with Upload-Draft-Interop-Version, not tus");
        }
    }
}
