using System.Net;
using System.Net.Http.Headers;

namespace TusCluster.UploadService.Tests.Drafts;

/// <summary>What the draft refuses, in each version's terms: problem details from version 6 (draft -04) on.</summary>
public sealed class DraftRefusalTests : IAsyncLifetime
{
    private TusServiceInstance _service = null!;

    public async ValueTask InitializeAsync() => _service = await TusServiceInstance.StartAsync();

    public ValueTask DisposeAsync() => _service.DisposeAsync();

    [Theory]
    [MemberData(nameof(DraftHttp.InteropVersions), MemberType = typeof(DraftHttp))]
    public async Task An_append_at_the_wrong_offset_is_a_conflict_naming_both_offsets(int version)
    {
        using var created = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: false, Tus.RandomBytes(100));
        var upload = created.Headers.Location!;

        using var refused = await DraftHttp.AppendAsync(_service.Client, upload, version, 250, complete: false, Tus.RandomBytes(10));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(100, Tus.Offset(refused));
        if (version >= 6)
        {
            var problem = await DraftHttp.ProblemAsync(refused);
            Assert.Equal("https://iana.org/assignments/http-problem-types#mismatching-upload-offset", problem.GetProperty("type").GetString());
            Assert.Equal(100, problem.GetProperty("expected-offset").GetInt64());
            Assert.Equal(250, problem.GetProperty("provided-offset").GetInt64());
            Assert.False(DraftHttp.Complete(refused, version));
        }

        using var head = await DraftHttp.HeadAsync(_service.Client, upload, version);
        Assert.Equal(100, Tus.Offset(head));
    }

    [Theory]
    [MemberData(nameof(DraftHttp.InteropVersions), MemberType = typeof(DraftHttp))]
    public async Task An_append_to_a_completed_upload_is_refused_and_changes_nothing(int version)
    {
        var data = Tus.RandomBytes(1000);
        using var created = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: true, data);
        var upload = created.Headers.Location!;

        using var withBody = await DraftHttp.AppendAsync(_service.Client, upload, version, 1000, complete: true, Tus.RandomBytes(10));
        using var empty = await DraftHttp.AppendAsync(_service.Client, upload, version, 1000, complete: false, []);

        foreach (var refused in (HttpResponseMessage[])[withBody, empty])
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            if (version >= 6)
            {
                var problem = await DraftHttp.ProblemAsync(refused);
                Assert.Equal("https://iana.org/assignments/http-problem-types#completed-upload", problem.GetProperty("type").GetString());
            }
        }

        Assert.Equal(data, await _service.Client.GetByteArrayAsync(upload));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("9")]
    [InlineData("six")]
    [InlineData("6, 7")]
    public async Task An_interop_version_not_spoken_here_is_a_bad_request_that_says_which_are(string named)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _service.FilesUrl) { Content = new ByteArrayContent([1, 2, 3]) };
        request.Headers.TryAddWithoutValidation("Upload-Draft-Interop-Version", named);
        request.Headers.TryAddWithoutValidation("Upload-Complete", "?1");

        using var refused = await _service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("interop versions 3 to 8", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(refused.Headers.Location);
    }

    [Theory]
    [MemberData(nameof(DraftHttp.InteropVersions), MemberType = typeof(DraftHttp))]
    public async Task A_creation_that_does_not_say_whether_it_is_complete_is_a_bad_request(int version)
    {
        var request = DraftHttp.Request(HttpMethod.Post, _service.FilesUrl, version, version == 3 ? ("Upload-Incomplete", "maybe") : ("Upload-Complete", "yes"));
        request.Content = new ByteArrayContent([1, 2, 3]);

        using var refused = await _service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(version == 3 ? "Upload-Incomplete" : "Upload-Complete", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task An_append_without_the_partial_upload_media_type_is_unsupported(int version)
    {
        var upload = await DraftHttp.CreateEmptyAsync(_service.Client, _service.FilesUrl, version);
        var request = DraftHttp.Request(HttpMethod.Patch, upload, version, DraftHttp.CompleteHeader(version, true), ("Upload-Offset", "0"));
        request.Content = new ByteArrayContent([1, 2, 3]);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var refused = await _service.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
    }

    [Theory]
    [InlineData(7)]
    [InlineData(8)]
    public async Task A_completing_append_that_contradicts_the_declared_length_is_an_inconsistent_length(int version)
    {
        using var created = await DraftHttp.CreateAsync(_service.Client, _service.FilesUrl, version, complete: false, Tus.RandomBytes(10), ("Upload-Length", "100"));
        var upload = created.Headers.Location!;

        using var refused = await DraftHttp.AppendAsync(_service.Client, upload, version, 10, complete: true, Tus.RandomBytes(20));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await DraftHttp.ProblemAsync(refused);
        Assert.Equal("https://iana.org/assignments/http-problem-types#inconsistent-upload-length", problem.GetProperty("type").GetString());
        using var head = await DraftHttp.HeadAsync(_service.Client, upload, version);
        Assert.Equal(10, Tus.Offset(head));
    }

    [Theory]
    [MemberData(nameof(DraftHttp.InteropVersions), MemberType = typeof(DraftHttp))]
    public async Task An_offset_on_offset_retrieval_is_refused_where_the_version_says_so(int version)
    {
        var upload = await DraftHttp.CreateEmptyAsync(_service.Client, _service.FilesUrl, version);

        using var head = await _service.Client.SendAsync(DraftHttp.Request(HttpMethod.Head, upload, version, ("Upload-Offset", "0")));
        using var delete = await _service.Client.SendAsync(DraftHttp.Request(HttpMethod.Delete, upload, version, DraftHttp.CompleteHeader(version, false)));

        // Drafts -01 to -05 (versions 3 to 6) require the 400; later ones do not mention it.
        Assert.Equal(version <= 6 ? HttpStatusCode.BadRequest : HttpStatusCode.NoContent, head.StatusCode);
        Assert.Equal(version <= 6 ? HttpStatusCode.BadRequest : HttpStatusCode.NoContent, delete.StatusCode);
    }

    [Theory]
    [MemberData(nameof(DraftHttp.InteropVersions), MemberType = typeof(DraftHttp))]
    public async Task An_upload_is_resumed_only_through_the_protocol_that_created_it(int version)
    {
        var draftUpload = await DraftHttp.CreateEmptyAsync(_service.Client, _service.FilesUrl, version);
        var tusUpload = await Tus.CreateAsync(_service.Client, _service.FilesUrl, 10);

        using var tusHead = await Tus.HeadAsync(_service.Client, draftUpload);
        using var tusPatch = await Tus.PatchAsync(_service.Client, draftUpload, 0, Tus.RandomBytes(5));
        using var draftHead = await DraftHttp.HeadAsync(_service.Client, tusUpload, version);
        using var draftAppend = await DraftHttp.AppendAsync(_service.Client, tusUpload, version, 0, complete: false, Tus.RandomBytes(5));

        Assert.Equal(HttpStatusCode.BadRequest, tusHead.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tusPatch.StatusCode);
        Assert.Contains("IETF", await tusPatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, draftHead.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, draftAppend.StatusCode);
        Assert.Contains("tus protocol", await draftAppend.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await Tus.OffsetAsync(_service.Client, tusUpload));
    }
}
