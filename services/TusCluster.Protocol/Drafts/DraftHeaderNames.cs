namespace TusCluster.Protocol.Drafts;

/// <summary>Header names and media types of the IETF "Resumable Uploads for HTTP" drafts.</summary>
public static class DraftHeaderNames
{
    public const string InteropVersion = "Upload-Draft-Interop-Version";

    /// <summary>Interop version 3 (draft -01) only: true while more requests follow.</summary>
    public const string UploadIncomplete = "Upload-Incomplete";

    /// <summary>Interop version 4 (draft -02) on: true when this request ends the upload.</summary>
    public const string UploadComplete = "Upload-Complete";

    public const string UploadLimit = "Upload-Limit";
    public const string ReprDigest = "Repr-Digest";
    public const string ContentDigest = "Content-Digest";

    public const string PartialUpload = "application/partial-upload";
    public const string ProblemJson = "application/problem+json";

    /// <summary>Headers a browser client must be allowed to send (CORS).</summary>
    public static readonly string[] RequestHeaders = [InteropVersion, UploadIncomplete, UploadComplete, ReprDigest, ContentDigest];

    /// <summary>Headers a browser client must be allowed to read (CORS).</summary>
    public static readonly string[] ResponseHeaders = [UploadIncomplete, UploadComplete, UploadLimit];
}
