using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Coordination;

namespace TusCluster.UploadService.Tests.Protocol;

public sealed class ExpirationTests : IAsyncLifetime
{
    private readonly ManualTimeProvider _clock = new();
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() =>
        _service = await TusServiceInstance.StartAsync(["--Tus:Expiration=01:00:00"], services => services.AddSingleton<TimeProvider>(_clock));

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Fact]
    public async Task An_unfinished_upload_expires_after_the_period_since_its_last_write()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 10);
        _clock.Advance(TimeSpan.FromMinutes(50));
        using (var patch = await Tus.PatchAsync(_service.Client, upload, 0, new byte[5]))
        {
            Assert.Equal(_clock.GetUtcNow().AddHours(1).ToString("R", CultureInfo.InvariantCulture), Tus.Header(patch, "Upload-Expires"));
        }

        _clock.Advance(TimeSpan.FromMinutes(50));
        Assert.Equal(5, await Tus.OffsetAsync(_service.Client, upload));

        _clock.Advance(TimeSpan.FromMinutes(11));
        using var head = await Tus.HeadAsync(_service.Client, upload);
        using var late = await Tus.PatchAsync(_service.Client, upload, 5, new byte[5]);
        Assert.Equal(HttpStatusCode.Gone, head.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
    }

    [Fact]
    public async Task A_patch_to_an_upload_past_half_its_lifetime_renews_the_expiry_even_when_no_byte_arrives()
    {
        var upload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 10);
        _clock.Advance(TimeSpan.FromMinutes(20));
        using (var early = await Tus.PatchAsync(_service.Client, upload, 0, []))
        {
            // More than half the hour left: nothing is committed for an empty body.
            Assert.Equal(_clock.GetUtcNow().AddMinutes(40).ToString("R", CultureInfo.InvariantCulture), Tus.Header(early, "Upload-Expires"));
        }

        _clock.Advance(TimeSpan.FromMinutes(20));
        using var late = await Tus.PatchAsync(_service.Client, upload, 0, []);

        Assert.Equal(HttpStatusCode.NoContent, late.StatusCode);
        Assert.Equal(_clock.GetUtcNow().AddHours(1).ToString("R", CultureInfo.InvariantCulture), Tus.Header(late, "Upload-Expires"));
        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await Tus.OffsetAsync(_service.Client, upload));
    }

    [Fact]
    public async Task A_finished_upload_never_expires_and_leaves_the_expiry_index()
    {
        var upload = await Tus.UploadAsync(_service.Client, _service.FilesUrl, [1, 2, 3], 3);
        _clock.Advance(TimeSpan.FromDays(30));

        using var head = await Tus.HeadAsync(_service.Client, upload);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Null(Tus.Header(head, "Upload-Expires"));

        var coordination = _service.Services.GetRequiredService<IUploadCoordination>();
        var expired = await coordination.ReadExpiredAsync(_clock.GetUtcNow(), 1000, CancellationToken.None);
        Assert.DoesNotContain(expired, e => e.UploadId == upload.Segments[^1]);
    }

    [Fact]
    public async Task With_a_finished_retention_a_finished_upload_enters_the_expiry_index_and_stays_readable()
    {
        await using var service = await TusServiceInstance.StartAsync(
            ["--Tus:Expiration=01:00:00", "--Tus:Sweeper:FinishedRetention=2.00:00:00", "--Tus:Sweeper:Enabled=false"],
            services => services.AddSingleton<TimeProvider>(_clock));
        var upload = await Tus.UploadAsync(service.Client, service.FilesUrl, [1, 2, 3], 3);
        var finishedAt = _clock.GetUtcNow();
        _clock.Advance(TimeSpan.FromDays(3));

        // Only the sweeper deletes finished uploads; to the protocol they never expire.
        using var head = await Tus.HeadAsync(service.Client, upload);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Null(Tus.Header(head, "Upload-Expires"));
        var coordination = service.Services.GetRequiredService<IUploadCoordination>();
        var expired = await coordination.ReadExpiredAsync(_clock.GetUtcNow(), 1000, CancellationToken.None);
        var entry = Assert.Single(expired, e => e.UploadId == upload.Segments[^1]);

        // Distributed backends keep the index to the millisecond.
        Assert.InRange(entry.ExpiresAt, finishedAt.AddDays(2).AddMilliseconds(-1), finishedAt.AddDays(2).AddMilliseconds(1));
    }

    [Fact]
    public async Task The_expiry_index_lists_expired_uploads_oldest_first()
    {
        var first = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 10);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var second = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 10);
        var coordination = _service.Services.GetRequiredService<IUploadCoordination>();

        Assert.Empty(await coordination.ReadExpiredAsync(_clock.GetUtcNow(), 10, CancellationToken.None));
        var expired = await coordination.ReadExpiredAsync(_clock.GetUtcNow().AddHours(2), 10, CancellationToken.None);

        Assert.Equal([first.Segments[^1], second.Segments[^1]], expired.Select(e => e.UploadId));
    }

    [Fact]
    [Trait("Expiration", "Off")] // The Azure store refuses to start without expiration: Azure drops blocks left uncommitted for 7 days.
    public async Task With_expiration_off_uploads_never_expire_and_the_extension_is_not_advertised()
    {
        await using var service = await TusServiceInstance.StartAsync(["--Tus:Expiration=00:00:00"]);

        using var options = await service.Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, service.FilesUrl));
        using var created = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Length", "5")));

        Assert.DoesNotContain("expiration", Tus.Header(options, "Tus-Extension")!, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Null(Tus.Header(created, "Upload-Expires"));
    }
}
