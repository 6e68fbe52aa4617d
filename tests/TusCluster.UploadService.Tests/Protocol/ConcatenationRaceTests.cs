using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.UploadService.Tests.Protocol;

public sealed class ConcatenationRaceTests
{
    [Fact]
    public async Task A_final_upload_whose_partial_is_deleted_while_it_is_built_is_refused_and_leaves_no_record()
    {
        TusServiceInstance? service = null;
        Uri? partial = null;
        UploadRecord? final = null;
        service = await TusServiceInstance.StartAsync(configureServices: services => ConcatenationHookStore.Install(services, async record =>
        {
            // The DELETE lands after the partials were checked and before their bytes are copied.
            final = record;
            using var delete = await service!.Client.SendAsync(Tus.Request(HttpMethod.Delete, partial!));
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }));
        await using var _ = service;
        partial = await Tus.UploadAsync(service.Client, service.FilesUrl, Tus.RandomBytes(1000), 1000, null, ("Upload-Concat", "partial"));

        using var response = await service.Client.SendAsync(Tus.Request(HttpMethod.Post, service.FilesUrl, ("Upload-Concat", $"final;{partial.AbsolutePath}")));

        // A retry can never succeed, so not 503; and the client never learned of the final upload, so it must not exist.
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Gone, $"got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.NotNull(final);
        Assert.Null(await service.Services.GetRequiredService<IUploadCoordination>().GetAsync(final.Id, CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(service.DataDirectory, "uploads", final.Id)), "the final upload's bytes were left behind");
    }
}
