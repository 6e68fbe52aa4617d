namespace TusCluster.Storage.Gcs;

/// <summary>Bound from <c>Tus:Storage:Gcs</c>.</summary>
public sealed class GcsStoreOptions
{
    public const string SectionName = "Tus:Storage:Gcs";

    /// <summary>GCS resumable uploads move data in multiples of 256 KiB.</summary>
    public const int UploadGranularity = 256 * 1024;

    public string Bucket { get; set; } = string.Empty;

    /// <summary>Prepended to every object name, e.g. <c>uploads/</c>.</summary>
    public string ObjectPrefix { get; set; } = string.Empty;

    /// <summary>Names <c>{ObjectPrefix}{yyyy}/{MM}/{dd}/{id}</c> from the upload's creation date.</summary>
    public bool DatePartitioned { get; set; }

    /// <summary>
    /// Base URL of a GCS-compatible JSON API (e.g. http://127.0.0.1:4443/ for a test server); empty for
    /// Google Cloud Storage itself.
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>Send no credentials at all (only for a test server at <see cref="Endpoint"/>).</summary>
    public bool NoAuthentication { get; set; }

    /// <summary>A service account's JSON key file; empty: Application Default Credentials (the usual Google chain).</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>Bytes per request of a resumable upload: the buffer one PATCH holds (a multiple of 256 KiB).</summary>
    public int UploadChunkSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// A committed chunk object smaller than this is merged into the next chunk's object, so an upload
    /// never has more components than GCS can compose (1024); grows with Tus:MaxUploadSize.
    /// </summary>
    public long ComponentSize { get; set; } = 16L * 1024 * 1024;

    /// <summary>Create the bucket at start when it does not exist (development and tests), in <see cref="ProjectId"/>.</summary>
    public bool CreateBucket { get; set; }

    public string? ProjectId { get; set; }
}
