using Microsoft.AspNetCore.Http;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Engine.Writing;

/// <summary>Maps an upload that cannot be used to 404 (never existed) or 410 (terminated, expired).</summary>
internal static class UploadGuard
{
    public static UploadRecord RequireActive(UploadRecord? record, DateTimeOffset now) => record switch
    {
        null => throw new TusException(StatusCodes.Status404NotFound, "upload not found"),
        { Status: UploadStatus.Terminated } => throw new TusException(StatusCodes.Status410Gone, "upload was terminated"),
        { Status: UploadStatus.Expired } => throw new TusException(StatusCodes.Status410Gone, "upload has expired"),
        _ when record.IsExpiredAt(now) => throw new TusException(StatusCodes.Status410Gone, "upload has expired"),
        _ => record,
    };
}
