using System.Globalization;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Engine;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Protocol.Drafts;

/// <summary>
/// Upload-Limit, a Dictionary structured field: max-size is Tus:MaxUploadSize; the lifetime (max-age, or
/// expires before draft -06) is what is left of an unfinished upload's expiry, or Tus:Expiration for one
/// not created yet. No append-size limits: the engine streams any body size up to the upload's length.
/// </summary>
internal sealed class UploadLimitHeader(UploadClock clock, IOptions<TusProtocolOptions> options)
{
    private readonly TusProtocolOptions _options = options.Value;

    /// <param name="record">The upload the response is about; null for OPTIONS (announced limits).</param>
    public string Format(DraftInteropVersion version, UploadRecord? record)
    {
        var value = "max-size=" + _options.MaxUploadSize.ToString(CultureInfo.InvariantCulture);
        var lifetime = record switch
        {
            null when _options.Expiration > TimeSpan.Zero => _options.Expiration,
            { Status: UploadStatus.Active, ExpiresAt: { } expires } => expires - clock.Now,
            _ => (TimeSpan?)null,
        };

        return lifetime is { } left
            ? $"{value}, {version.LifetimeLimitKey}={Math.Max(0, (long)left.TotalSeconds).ToString(CultureInfo.InvariantCulture)}"
            : value;
    }
}
