namespace TusCluster.Protocol.Headers;

/// <summary>Header names of tus 1.0.0 and its extensions.</summary>
public static class TusHeaderNames
{
    public const string TusResumable = "Tus-Resumable";
    public const string TusVersion = "Tus-Version";
    public const string TusExtension = "Tus-Extension";
    public const string TusMaxSize = "Tus-Max-Size";
    public const string TusChecksumAlgorithm = "Tus-Checksum-Algorithm";
    public const string UploadOffset = "Upload-Offset";
    public const string UploadLength = "Upload-Length";
    public const string UploadDeferLength = "Upload-Defer-Length";
    public const string UploadMetadata = "Upload-Metadata";
    public const string UploadExpires = "Upload-Expires";
    public const string UploadChecksum = "Upload-Checksum";
    public const string UploadConcat = "Upload-Concat";
    public const string MethodOverride = "X-HTTP-Method-Override";

    public const string OffsetOctetStream = "application/offset+octet-stream";
    public const string ProtocolVersion = "1.0.0";

    /// <summary>Headers a browser client must be allowed to send (CORS).</summary>
    public static readonly string[] RequestHeaders =
    [
        "Authorization", "Content-Type", "Tus-Resumable", "Upload-Length", "Upload-Defer-Length",
        "Upload-Metadata", "Upload-Offset", "Upload-Checksum", "Upload-Concat", MethodOverride,
        "X-Requested-With",
        .. Drafts.DraftHeaderNames.RequestHeaders,
    ];

    /// <summary>Headers a browser client must be allowed to read (CORS).</summary>
    public static readonly string[] ResponseHeaders =
    [
        "Location", TusResumable, TusVersion, TusExtension, TusMaxSize, TusChecksumAlgorithm,
        UploadOffset, UploadLength, UploadDeferLength, UploadMetadata, UploadExpires, UploadConcat,
        "Retry-After", "Content-Disposition", "Content-Range", "Accept-Ranges",
        .. Drafts.DraftHeaderNames.ResponseHeaders,
    ];
}
