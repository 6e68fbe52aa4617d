namespace TusCluster.Storage.Azure;

/// <summary>Bound from <c>Tus:Storage:Azure</c>.</summary>
public sealed class AzureStoreOptions
{
    public const string SectionName = "Tus:Storage:Azure";

    /// <summary>Azure's limit on the committed blocks of one block blob.</summary>
    public const int MaxBlocks = 50_000;

    public const int MinimumBlockSize = 64 * 1024;

    /// <summary>One block buffer per request: far below Azure's 4000 MiB, and arrays stay small enough to pool.</summary>
    public const int MaximumBlockSize = 256 * 1024 * 1024;

    /// <summary>Uncommitted blocks are garbage-collected after a week without writes: uploads must expire sooner.</summary>
    public static readonly TimeSpan MaximumExpiration = TimeSpan.FromDays(6);

    /// <summary>A storage account connection string (account key or SAS); or leave empty and set <see cref="AccountUrl"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The account's blob endpoint (https://account.blob.core.windows.net), signed in with the default Azure credential chain.</summary>
    public string? AccountUrl { get; set; }

    public string Container { get; set; } = string.Empty;

    /// <summary>Prepended to every blob name, e.g. <c>uploads/</c>.</summary>
    public string BlobPrefix { get; set; } = string.Empty;

    /// <summary>Names <c>{BlobPrefix}{yyyy}/{MM}/{dd}/{id}</c> from the upload's creation date.</summary>
    public bool DatePartitioned { get; set; }

    /// <summary>Bytes per block (every block but the last); grows when 50,000 blocks would not cover Tus:MaxUploadSize.</summary>
    public int BlockSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>Concatenation stages blocks from the partials' URLs (server-side) where the credential can sign them; otherwise copies through.</summary>
    public bool StageBlocksFromUrl { get; set; } = true;

    /// <summary>Create the container at start when it does not exist (development and tests).</summary>
    public bool CreateContainer { get; set; }
}
