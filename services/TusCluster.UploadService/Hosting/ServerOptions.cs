namespace TusCluster.UploadService.Hosting;

/// <summary>HTTP server settings, bound from <c>Tus:Server</c>.</summary>
public sealed class ServerOptions
{
    public const string SectionName = "Tus:Server";

    /// <summary>Addresses to listen on (semicolon-separated); <c>--urls</c> or ASPNETCORE_URLS win when given.</summary>
    public string Urls { get; set; } = "http://0.0.0.0:8080";

    public int? MaxConcurrentConnections { get; set; }

    /// <summary>Largest request body Kestrel accepts; null: bounded only by the upload's own length.</summary>
    public long? MaxRequestBodySize { get; set; }

    public int MaxRequestHeadersTotalSize { get; set; } = 32 * 1024;

    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(130);

    public TimeSpan RequestHeadersTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A body slower than this (bytes per second, after the grace period) is cut off; what arrived is kept.</summary>
    public double MinRequestBodyDataRate { get; set; } = 240;

    public TimeSpan MinRequestBodyDataRateGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After SIGTERM, how long in-flight PATCHes may go on receiving before they are told to commit and stop.</summary>
    public TimeSpan DrainPeriod { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Time left after the drain period for stopped PATCHes to commit and answer before the process exits.</summary>
    public TimeSpan CommitGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Size of the memory blocks Kestrel receives request bodies into, in bytes: a receive takes at most the
    /// free part of one block, so Kestrel's own 4 KiB blocks cost a GiB half a million receive calls. 4096 keeps
    /// Kestrel's own pool. A connection holds a block only while data is arriving or an answer is being written.
    /// </summary>
    public int ReceiveBlockSize { get; set; } = 64 * 1024;

    /// <summary>
    /// Run request code on the threads that receive from the sockets instead of handing each receive to a
    /// thread-pool thread (Kestrel's UnsafePreferInlineScheduling plus the runtime's inline socket completions).
    /// About halves the CPU a received byte costs (measured with 1 MiB receive blocks); but a write that blocks (a slow or network file
    /// system, a page cache being written back, Fsync) then holds up every connection served by that thread.
    /// Off by default; docs/operations.md says when to turn it on.
    /// </summary>
    public bool InlineScheduling { get; set; }
}
