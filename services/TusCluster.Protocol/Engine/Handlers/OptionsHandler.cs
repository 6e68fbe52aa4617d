using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Headers;

namespace TusCluster.Protocol.Engine.Handlers;

/// <summary>OPTIONS: what this server supports. The only response without Tus-Resumable.</summary>
internal sealed class OptionsHandler(IOptions<TusProtocolOptions> options)
{
    private readonly string _extensions = options.Value.Expiration > TimeSpan.Zero
        ? "creation,creation-with-upload,creation-defer-length,termination,expiration,checksum,checksum-trailer,concatenation,concatenation-unfinished"
        : "creation,creation-with-upload,creation-defer-length,termination,checksum,checksum-trailer,concatenation,concatenation-unfinished";
    private readonly string _maxSize = options.Value.MaxUploadSize.ToString(CultureInfo.InvariantCulture);
    private readonly string _checksums = string.Join(',', options.Value.EnabledChecksums.Select(a => a.Name));

    public void Handle(HttpContext context)
    {
        var headers = context.Response.Headers;
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        headers[TusHeaderNames.TusVersion] = TusHeaderNames.ProtocolVersion;
        headers[TusHeaderNames.TusExtension] = _extensions;
        headers[TusHeaderNames.TusMaxSize] = _maxSize;
        headers[TusHeaderNames.TusChecksumAlgorithm] = _checksums;
    }
}
