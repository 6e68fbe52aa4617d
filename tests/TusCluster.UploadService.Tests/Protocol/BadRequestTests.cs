using System.Security.Cryptography;
using System.Text;

namespace TusCluster.UploadService.Tests.Protocol;

/// <summary>
/// Malformed requests each get their precise 4xx, never a 5xx, and nothing lands outside the
/// service's storage. Sent over raw sockets so that targets reach the server exactly as written.
/// </summary>
public sealed class BadRequestTests(BadRequestTests.Service service) : IClassFixture<BadRequestTests.Service>
{
    private const string Tus = "Tus-Resumable: 1.0.0";
    private const string Octet = "Content-Type: application/offset+octet-stream";
    private const string ReservedId = "00000000000000000000000000000000";
    private static readonly string LongMetadata = "k " + Convert.ToBase64String(new byte[4000]);

    // The true digest of the one-byte body [1]: a request refused with it is refused for its form alone.
    private static readonly string Sha1OfBody = Convert.ToBase64String(SHA1.HashData([1]));

    public static TheoryData<BadRequestCase> Cases =>
    [
        new BadRequestCase("length negative", "POST", "/files/", [Tus, "Upload-Length: -1"], 400),
        new BadRequestCase("length overflowing", "POST", "/files/", [Tus, "Upload-Length: 99999999999999999999"], 400),
        new BadRequestCase("length not a number", "POST", "/files/", [Tus, "Upload-Length: 12abc"], 400),
        new BadRequestCase("length with exponent", "POST", "/files/", [Tus, "Upload-Length: 1e3"], 400),
        new BadRequestCase("length above the maximum", "POST", "/files/", [Tus, "Upload-Length: 1000001"], 413),
        new BadRequestCase("length and defer together", "POST", "/files/", [Tus, "Upload-Length: 5", "Upload-Defer-Length: 1"], 400),
        new BadRequestCase("defer not 1", "POST", "/files/", [Tus, "Upload-Defer-Length: 2"], 400),
        new BadRequestCase("no length at all", "POST", "/files/", [Tus], 400),
        new BadRequestCase("metadata bad base64", "POST", "/files/", [Tus, "Upload-Length: 5", "Upload-Metadata: filename !!!!"], 400),
        new BadRequestCase("metadata duplicate key", "POST", "/files/", [Tus, "Upload-Length: 5", "Upload-Metadata: a YQ==,a Yg=="], 400),
        new BadRequestCase("metadata empty pair", "POST", "/files/", [Tus, "Upload-Length: 5", "Upload-Metadata: a YQ==,"], 400),
        new BadRequestCase("metadata oversize", "POST", "/files/", [Tus, "Upload-Length: 5", "Upload-Metadata: " + LongMetadata], 431),
        new BadRequestCase("tus version unsupported", "POST", "/files/", ["Tus-Resumable: 0.2.2", "Upload-Length: 5"], 412),
        new BadRequestCase("tus version missing", "POST", "/files/", ["Upload-Length: 5"], 412),
        new BadRequestCase("creation body wrong type", "POST", "/files/", [Tus, "Upload-Length: 5", "Content-Type: text/plain", "Content-Length: 3"], 415, [1, 2, 3]),
        new BadRequestCase("creation body longer than length", "POST", "/files/", [Tus, "Upload-Length: 2", Octet, "Content-Length: 3"], 413, [1, 2, 3]),
        new BadRequestCase("concat unknown form", "POST", "/files/", [Tus, "Upload-Concat: whole"], 400),
        new BadRequestCase("offset negative", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: -1", "Content-Length: 1"], 400, [1]),
        new BadRequestCase("offset not a number", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: zero", "Content-Length: 1"], 400, [1]),
        new BadRequestCase("offset overflowing", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: 18446744073709551616", "Content-Length: 1"], 400, [1]),
        new BadRequestCase("offset missing", "PATCH", "/files/{id}", [Tus, Octet, "Content-Length: 1"], 400, [1]),
        new BadRequestCase("offset wrong", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: 7", "Content-Length: 1"], 409, [1]),
        new BadRequestCase("patch wrong content type", "PATCH", "/files/{id}", [Tus, "Content-Type: application/octet-stream", "Upload-Offset: 0", "Content-Length: 1"], 415, [1]),
        new BadRequestCase("patch no content type", "PATCH", "/files/{id}", [Tus, "Upload-Offset: 0", "Content-Length: 1"], 415, [1]),
        new BadRequestCase("patch body longer than length", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: 0", "Content-Length: 101"], 413, new byte[101]),
        new BadRequestCase("patch chunked body longer than length", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: 0", "Transfer-Encoding: chunked"], 413, Encoding.ASCII.GetBytes("65\r\n" + new string('x', 101) + "\r\n0\r\n\r\n")),
        new BadRequestCase("checksum unknown algorithm", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: 0", "Content-Length: 1", "Upload-Checksum: crc32 AAAAAA=="], 400, [1]),
        new BadRequestCase("checksum malformed", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: 0", "Content-Length: 1", "Upload-Checksum: sha1"], 400, [1]),
        new BadRequestCase("checksum empty", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: 0", "Content-Length: 1", "Upload-Checksum: "], 400, [1]),
        new BadRequestCase("checksum two spaces", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: 0", "Content-Length: 1", "Upload-Checksum: sha1  " + Sha1OfBody], 400, [1]),
        new BadRequestCase("checksum trailing space inside", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: 0", "Content-Length: 1", "Upload-Checksum: sha1 " + Sha1OfBody[..4] + " " + Sha1OfBody[4..]], 400, [1]),

        // A well-formed digest of the wrong length can never match: that is a mismatch (460), not a bad request.
        new BadRequestCase("checksum wrong digest length", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: 0", "Content-Length: 1", "Upload-Checksum: sha1 AAAA"], 460, [1]),
        new BadRequestCase("patch chunked body malformed", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: 0", "Transfer-Encoding: chunked"], 400, Encoding.ASCII.GetBytes("zz\r\nabc\r\n0\r\n\r\n")),
        new BadRequestCase("patch chunked body malformed after good chunks", "PATCH", "/files/{id}", [Tus, Octet, "Upload-Offset: 0", "Transfer-Encoding: chunked"], 400, Encoding.ASCII.GetBytes("3\r\nabc\r\n2\r\nabcdef\r\n0\r\n\r\n")),
        new BadRequestCase("patch of the sweeper's reserved id", "PATCH", "/files/" + ReservedId, [Tus, Octet, "Upload-Offset: 0", "Content-Length: 1"], 404, [1]),
        new BadRequestCase("delete of the sweeper's reserved id", "DELETE", "/files/" + ReservedId, [Tus], 404),
        new BadRequestCase("head of the sweeper's reserved id", "HEAD", "/files/" + ReservedId, [Tus], 404),
        new BadRequestCase("patch tus version unsupported", "PATCH", "/files/{id}", ["Tus-Resumable: 2.0.0", Octet, "Upload-Offset: 0", "Content-Length: 1"], 412, [1]),
        new BadRequestCase("id with dot segments", "HEAD", "/files/../../etc/passwd", [Tus], 404),
        new BadRequestCase("id with encoded slash", "PATCH", "/files/..%2F..%2Fetc%2Fpasswd", [Tus, Octet, "Upload-Offset: 0", "Content-Length: 1"], 404, [1]),
        new BadRequestCase("id with slash", "DELETE", "/files/0123456789abcdef/0123456789abcdef", [Tus], 404),
        // Kestrel itself refuses a NUL in the path, before the engine sees it.
        new BadRequestCase("id with encoded nul", "GET", "/files/0123456789abcdef%000123456789abcde", [], 400),
        new BadRequestCase("id uppercase", "HEAD", "/files/0123456789ABCDEF0123456789ABCDEF", [Tus], 404),
        new BadRequestCase("id very long", "HEAD", "/files/" + new string('a', 4000), [Tus], 404),
        new BadRequestCase("id unknown", "HEAD", "/files/0123456789abcdef0123456789abcdef", [Tus], 404),
        new BadRequestCase("patch on the collection", "PATCH", "/files/", [Tus, Octet, "Upload-Offset: 0", "Content-Length: 1"], 405, [1]),
        new BadRequestCase("put on an upload", "PUT", "/files/{id}", [Tus, "Content-Length: 1"], 405, [1]),
        new BadRequestCase("override to an unknown method", "POST", "/files/{id}", [Tus, "X-HTTP-Method-Override: TRACE"], 405),
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_malformed_request_gets_its_precise_status(BadRequestCase @case)
    {
        var target = @case.Target;
        if (target.Contains("{id}", StringComparison.Ordinal))
        {
            var upload = await TusCluster.Testing.Tus.CreateAsync(service.Instance.Client, service.Instance.FilesUrl, 100);
            target = target.Replace("{id}", upload.Segments[^1], StringComparison.Ordinal);
        }

        await using var connection = await RawHttpConnection.OpenAsync(service.Instance.BaseAddress);
        await connection.SendHeadAsync(@case.Method, target, service.Instance.BaseAddress.Authority, [.. @case.Headers, "Connection: close"]);
        if (@case.Body is { } body)
        {
            await connection.SendAsync(body);
        }

        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var response = await connection.ReadResponseHeadAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(@case.Expected, response.Status);

        // A refusal is decided on the request alone; none waits out a lock (LockAcquireTimeout is 5 s).
        Assert.InRange(elapsed.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(3));
        Assert.Empty(service.FilesOutsideStorage());
    }

    public sealed class Service : IAsyncLifetime
    {
        public TusServiceInstance Instance { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Instance = await TusServiceInstance.StartAsync(["--Tus:MaxUploadSize=1000000"]);

        public ValueTask DisposeAsync() => Instance.DisposeAsync();

        /// <summary>Every file under the data directory that is not an upload's own file or record.</summary>
        public IEnumerable<string> FilesOutsideStorage() =>
            Directory.EnumerateFiles(Instance.DataDirectory, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Instance.DataDirectory, f).Split(Path.DirectorySeparatorChar))
                .Where(p => !(p is ["uploads", { Length: 32 }, _] || p is ["meta", { Length: 2 }, _]))
                .Select(p => string.Join('/', p));
    }
}
