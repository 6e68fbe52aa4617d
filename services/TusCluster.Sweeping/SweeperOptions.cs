using Microsoft.Extensions.Configuration;

namespace TusCluster.Sweeping;

/// <summary>Bound from <c>Tus:Sweeper</c>.</summary>
public sealed class SweeperOptions
{
    public const string SectionName = "Tus:Sweeper";

    /// <summary>
    /// Whether the upload service runs a sweeper in-process. Not set: only with embedded coordination,
    /// where no other process can sweep. The sweeper host ignores it and always sweeps.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>Pause between two passes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Expiry index entries read per round trip.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Uploads deleted per second at most; 0 = unlimited.</summary>
    public double MaxDeletionsPerSecond { get; set; } = 100;

    /// <summary>Only report (log and count) what would be deleted.</summary>
    public bool DryRun { get; set; }

    /// <summary>How long a finished upload is kept; not set = forever.</summary>
    public TimeSpan? FinishedRetention { get; set; }

    /// <summary>Bytes without a record older than this are removed; not set = orphan reclaim off.</summary>
    public TimeSpan? OrphanGracePeriod { get; set; }

    /// <summary>
    /// Orphan listing reads the whole store, so it runs at most once per grace period (an orphan cannot
    /// become due faster than that), at most hourly, and never more often than the passes.
    /// </summary>
    internal TimeSpan OrphanScanInterval =>
        OrphanGracePeriod is { } grace ? TimeSpan.FromTicks(Math.Max(Interval.Ticks, Math.Min(grace.Ticks, TimeSpan.FromHours(1).Ticks))) : Timeout.InfiniteTimeSpan;

    /// <summary>Whether the upload service should sweep in-process under this configuration.</summary>
    public static bool RunsInUploadService(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var enabled = configuration.GetSection(SectionName).GetValue<bool?>(nameof(Enabled));
        var provider = configuration["Tus:Coordination:Provider"] ?? "Embedded";
        return enabled ?? string.Equals(provider, "Embedded", StringComparison.OrdinalIgnoreCase);
    }
}
