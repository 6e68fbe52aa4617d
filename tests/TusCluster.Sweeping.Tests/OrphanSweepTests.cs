using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Sweeping.Tests;

/// <summary>Bytes without a record are removed once nobody wrote them for the grace period.</summary>
public sealed class OrphanSweepTests(CoordinationServers servers)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task Old_bytes_without_a_record_are_removed_and_everything_else_stays(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend, ("Tus:Sweeper:OrphanGracePeriod", "01:00:00"));
        var old = env.Clock.GetUtcNow().AddHours(-2);
        var orphan = Orphan(env, UploadId.New(), old);
        var partitioned = Orphan(env, Path.Combine("2020", "01", "02", UploadId.New()), old);
        var young = Orphan(env, UploadId.New(), env.Clock.GetUtcNow());
        var owned = await env.SeedAsync(100, env.Clock.GetUtcNow().AddHours(1));
        Touch(Path.Combine(env.UploadsRoot, owned.Id), old);
        var stray = Directory.CreateDirectory(Path.Combine(env.UploadsRoot, "not-an-upload")).FullName;
        Touch(stray, old);

        var report = await env.Services.GetRequiredService<OrphanSweep>().RunAsync(Ct);

        Assert.Equal(2, report.Reclaimed);
        Assert.Equal(2 * 1000, report.BytesReclaimed);
        Assert.False(Directory.Exists(orphan));
        Assert.False(Directory.Exists(partitioned));
        Assert.True(Directory.Exists(young));
        Assert.True(env.HasBytes(owned.Id));
        Assert.True(Directory.Exists(stray));
    }

    [Theory]
    [MemberData(nameof(SweepBackends.All), MemberType = typeof(SweepBackends))]
    public async Task A_dry_run_only_reports_orphans(string backend)
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, backend, ("Tus:Sweeper:OrphanGracePeriod", "01:00:00"), ("Tus:Sweeper:DryRun", "true"));
        var orphan = Orphan(env, UploadId.New(), env.Clock.GetUtcNow().AddHours(-2));

        var report = await env.Services.GetRequiredService<OrphanSweep>().RunAsync(Ct);

        Assert.Equal(1, report.Examined);
        Assert.Equal(0, report.Reclaimed);
        Assert.True(Directory.Exists(orphan));
    }

    [Fact]
    public async Task Orphan_reclaim_is_off_unless_a_grace_period_is_set()
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, "Embedded");
        var orphan = Orphan(env, UploadId.New(), env.Clock.GetUtcNow().AddDays(-30));
        var sweep = env.Services.GetRequiredService<OrphanSweep>();

        Assert.False(sweep.IsAvailable);
        Assert.Equal(0, (await sweep.RunAsync(Ct)).Examined);
        Assert.True(Directory.Exists(orphan));
    }

    [Fact]
    public async Task Abandoned_staged_chunks_of_an_upload_with_a_record_are_removed_and_its_committed_bytes_stay()
    {
        await using var env = await SweepEnvironment.CreateAsync(servers, "Embedded", ("Tus:Sweeper:OrphanGracePeriod", "01:00:00"));
        var abandoned = await env.SeedAsync(100, env.Clock.GetUtcNow().AddHours(1));
        var recent = await env.SeedAsync(100, env.Clock.GetUtcNow().AddHours(1));

        // Writers killed mid-body (fence 1 is older than any lease the sweeper gets); one of them just now.
        await File.WriteAllBytesAsync(Path.Combine(env.UploadsRoot, abandoned.Id, "1.chunk"), new byte[3000], Ct);
        Touch(Path.Combine(env.UploadsRoot, abandoned.Id), env.Clock.GetUtcNow().AddHours(-2));
        await File.WriteAllBytesAsync(Path.Combine(env.UploadsRoot, recent.Id, "1.chunk"), new byte[3000], Ct);

        var report = await env.Services.GetRequiredService<OrphanSweep>().RunAsync(Ct);

        Assert.Equal(0, report.Reclaimed);
        Assert.Equal(3000, report.BytesReclaimed);
        Assert.Equal(["data"], Directory.EnumerateFiles(Path.Combine(env.UploadsRoot, abandoned.Id)).Select(Path.GetFileName));
        Assert.Equal(["1.chunk", "data"], Directory.EnumerateFiles(Path.Combine(env.UploadsRoot, recent.Id)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(100, (await env.Coordination.GetAsync(abandoned.Id, Ct))?.Offset);
    }

    private static string Orphan(SweepEnvironment env, string relativeDirectory, DateTimeOffset lastWritten)
    {
        var directory = Directory.CreateDirectory(Path.Combine(env.UploadsRoot, relativeDirectory)).FullName;
        var file = Path.Combine(directory, "data");
        File.WriteAllBytes(file, new byte[1000]);
        Touch(directory, lastWritten);
        return directory;
    }

    private static void Touch(string directory, DateTimeOffset at)
    {
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            File.SetLastWriteTimeUtc(file, at.UtcDateTime);
        }

        Directory.SetLastWriteTimeUtc(directory, at.UtcDateTime);
    }
}
