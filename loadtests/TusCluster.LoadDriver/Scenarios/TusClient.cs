using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using TusCluster.LoadDriver.Metrics;

namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// The tus requests the scenarios are made of. Each call is one HTTP request, timed per request kind
/// and bounded by the run's timeout; a failure is counted once, here, and surfaces as
/// <see cref="TusRequestException"/>.
/// </summary>
internal sealed class TusClient
{
    private const string TusVersion = "1.0.0";

    private readonly HttpClient _http;
    private readonly EndpointSelector _endpoints;
    private readonly RunMetrics _metrics;
    private readonly TimeSpan _timeout;

    /// <summary>Failed PATCHes (and HEADs after them) in a row before an upload is given up.</summary>
    private const int MaxRecoveries = 5;

    private static readonly TimeSpan RecoveryDelay = TimeSpan.FromMilliseconds(200);

    public TusClient(HttpClient http, EndpointSelector endpoints, RunMetrics metrics, TimeSpan timeout)
    {
        _http = http;
        _endpoints = endpoints;
        _metrics = metrics;
        _timeout = timeout;
    }

    public RunMetrics Metrics => _metrics;

    /// <summary>
    /// POST: creates an upload of <paramref name="length"/> bytes; with <paramref name="body"/>, sends it
    /// whole in the same request (creation-with-upload). Returns the upload URL and its offset.
    /// </summary>
    public Task<(Uri Url, long Offset)> CreateAsync(int vu, long length, UploadSource? body, string? concat, CancellationToken cancellationToken)
    {
        var endpoint = _endpoints.CreationUrl(vu);
        var request = Request(HttpMethod.Post, endpoint);
        if (length >= 0)
        {
            request.Headers.TryAddWithoutValidation("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        }

        if (concat is not null)
        {
            request.Headers.TryAddWithoutValidation("Upload-Concat", concat);
        }

        request.Content = body is null ? null : new SourceContent(body, 0, body.Length);
        return SendAsync(RequestKind.Post, request, (response, _) =>
        {
            Expect(RequestKind.Post, response, HttpStatusCode.Created);
            var location = response.Headers.Location ?? throw Fail(RequestKind.Post, "201 without Location");
            var url = location.IsAbsoluteUri ? location : new Uri(endpoint, location);
            var offset = body is null ? 0 : OffsetOf(RequestKind.Post, response);
            if (body is not null)
            {
                _metrics.BytesAcknowledged(offset);
            }

            return Task.FromResult((url, offset));
        }, cancellationToken);
    }

    /// <summary>
    /// PATCH: sends bytes [offset, offset + count) and returns the server's new offset. With
    /// <paramref name="tolerateConflict"/>, a 409 (the server's offset moved, e.g. it committed part of an
    /// abandoned request meanwhile) returns the offset the server names instead of failing.
    /// </summary>
    public Task<long> PatchAsync(Uri upload, UploadSource source, long offset, long count, long? interruptAfter, bool tolerateConflict, CancellationToken cancellationToken)
    {
        var request = Request(HttpMethod.Patch, _endpoints.UploadUrl(upload));
        request.Headers.TryAddWithoutValidation("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new SourceContent(source, offset, count) { InterruptAfter = interruptAfter };
        return SendAsync(RequestKind.Patch, request, (response, _) =>
        {
            if (tolerateConflict && response.StatusCode == HttpStatusCode.Conflict && response.Headers.Contains("Upload-Offset"))
            {
                _metrics.OffsetConflict();
                var current = OffsetOf(RequestKind.Patch, response);

                // The server kept bytes of the abandoned request after the HEAD answered: acknowledged now.
                _metrics.BytesAcknowledged(Math.Max(0, current - offset));
                return Task.FromResult(current);
            }

            Expect(RequestKind.Patch, response, HttpStatusCode.NoContent);
            var next = OffsetOf(RequestKind.Patch, response);
            _metrics.BytesAcknowledged(Math.Max(0, next - offset));
            return Task.FromResult(next);
        }, cancellationToken);
    }

    /// <summary>HEAD: the offset the server holds for the upload.</summary>
    public Task<long> HeadAsync(Uri upload, CancellationToken cancellationToken) =>
        SendAsync(RequestKind.Head, Request(HttpMethod.Head, _endpoints.UploadUrl(upload)), (response, _) =>
        {
            Expect(RequestKind.Head, response, HttpStatusCode.OK);
            return Task.FromResult(OffsetOf(RequestKind.Head, response));
        }, cancellationToken);

    /// <summary>
    /// Sends the upload from <paramref name="offset"/> to its end in PATCHes of at most
    /// <paramref name="chunkSize"/> bytes, each starting where the server says the last one ended.
    /// </summary>
    public async Task UploadFromAsync(Uri upload, UploadSource source, long offset, long chunkSize, bool tolerateConflict, CancellationToken cancellationToken)
    {
        var stalled = 0;
        var failures = 0;
        while (offset < source.Length)
        {
            long next;
            try
            {
                next = await PatchAsync(upload, source, offset, Math.Min(chunkSize, source.Length - offset), null, tolerateConflict, cancellationToken);
            }
            catch (TusRequestException e) when (e.Retryable && failures < MaxRecoveries)
            {
                // What tus-js-client does: wait, ask the server where the upload stands, go on from there.
                failures++;
                _metrics.Recovered();
                await Task.Delay(RecoveryDelay * failures, cancellationToken);
                next = await ResumeOffsetAsync(upload, cancellationToken);

                // Bytes of the failed PATCH that the server kept are acknowledged only by this HEAD.
                _metrics.BytesAcknowledged(Math.Max(0, next - offset));
            }

            stalled = next > offset ? 0 : stalled + 1;
            failures = next > offset ? 0 : failures;
            if (stalled >= 3 + MaxRecoveries)
            {
                throw Fail(RequestKind.Patch, "no progress");
            }

            offset = next;
        }
    }

    /// <summary>HEAD until the server answers (a replica restarting, a dependency back in a moment).</summary>
    private async Task<long> ResumeOffsetAsync(Uri upload, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await HeadAsync(upload, cancellationToken);
            }
            catch (TusRequestException e) when (e.Retryable && attempt < MaxRecoveries)
            {
                await Task.Delay(RecoveryDelay * attempt, cancellationToken);
            }
        }
    }

    /// <summary>
    /// GET: reads the upload back, hashing as it streams, and counts it verified, corrupted or lost.
    /// A failed read is tried again a few times first: a replica killed mid-download (chaos mode) or a
    /// dependency answering 503 is not a lost upload; one that stays unreadable is.
    /// </summary>
    public async Task VerifyAsync(Uri upload, byte[] expectedHash, long expectedLength, CancellationToken cancellationToken)
    {
        const int attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await VerifyOnceAsync(upload, expectedHash, expectedLength, cancellationToken);
                return;
            }
            catch (TusRequestException) when (attempt < attempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
            }
            catch (TusRequestException)
            {
                _metrics.UploadLost();
                throw;
            }
        }
    }

    private async Task VerifyOnceAsync(Uri upload, byte[] expectedHash, long expectedLength, CancellationToken cancellationToken)
    {
        bool matches;
        try
        {
            matches = await SendAsync(RequestKind.Get, Request(HttpMethod.Get, _endpoints.UploadUrl(upload)), async (response, token) =>
            {
                Expect(RequestKind.Get, response, HttpStatusCode.OK);
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                await using var body = await response.Content.ReadAsStreamAsync(token);
                var buffer = ArrayPool<byte>.Shared.Rent(UploadSource.BufferSize);
                long length = 0;
                try
                {
                    int read;
                    while ((read = await body.ReadAsync(buffer.AsMemory(0, UploadSource.BufferSize), token)) > 0)
                    {
                        hash.AppendData(buffer, 0, read);
                        length += read;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                return length == expectedLength && hash.GetHashAndReset().AsSpan().SequenceEqual(expectedHash);
            }, cancellationToken);
        }
        catch (TusRequestException)
        {
            // Counted as lost by VerifyAsync only once every try has failed.
            throw;
        }

        if (matches)
        {
            _metrics.UploadVerified();
        }
        else
        {
            _metrics.UploadCorrupted();
        }
    }

    /// <summary>DELETE (termination), so long runs leave no data behind.</summary>
    public Task DeleteAsync(Uri upload, CancellationToken cancellationToken) =>
        SendAsync(RequestKind.Delete, Request(HttpMethod.Delete, _endpoints.UploadUrl(upload)), (response, _) =>
        {
            Expect(RequestKind.Delete, response, HttpStatusCode.NoContent);
            return Task.FromResult(true);
        }, cancellationToken);

    private static HttpRequestMessage Request(HttpMethod method, Uri url)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("Tus-Resumable", TusVersion);
        return request;
    }

    private static string Name(RequestKind kind) => kind.ToString().ToUpperInvariant();

    /// <summary>"HttpRequestException/SocketException(ConnectionRefused)": the chain of exception types, innermost last.</summary>
    private static string Describe(Exception exception)
    {
        var parts = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            parts.Add(e is SocketException socket ? $"{e.GetType().Name}({socket.SocketErrorCode})" : e.GetType().Name);
        }

        return string.Join('/', parts);
    }

    private async Task<T> SendAsync<T>(RequestKind kind, HttpRequestMessage request, Func<HttpResponseMessage, CancellationToken, Task<T>> handle, CancellationToken cancellationToken)
    {
        _metrics.RequestSent();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            try
            {
                return await handle(response, timeout.Token);
            }
            finally
            {
                // Every answered request counts towards latency, errors included, as k6 does.
                _metrics.Latency(kind).Record(Stopwatch.GetElapsedTime(started));
            }
        }
        catch (Exception e) when (request.Content is SourceContent { Interrupted: true })
        {
            throw new UploadInterruptedException("PATCH abandoned on purpose", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            _metrics.Error($"{Name(kind)} timeout");
            throw new TusRequestException($"{Name(kind)} timed out after {_timeout}", e) { NoAnswer = true };
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            _metrics.Error($"{Name(kind)} {Describe(e)}");
            throw new TusRequestException($"{Name(kind)} failed: {e.Message}", e) { NoAnswer = true };
        }
        finally
        {
            request.Dispose();
        }
    }

    private void Expect(RequestKind kind, HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
        {
            throw Fail(kind, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), (int)response.StatusCode);
        }
    }

    private long OffsetOf(RequestKind kind, HttpResponseMessage response) =>
        response.Headers.TryGetValues("Upload-Offset", out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw Fail(kind, "no Upload-Offset");

    private TusRequestException Fail(RequestKind kind, string what, int? status = null)
    {
        _metrics.Error($"{Name(kind)} {what}");
        return new TusRequestException($"{Name(kind)}: {what}") { StatusCode = status };
    }
}
