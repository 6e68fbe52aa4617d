using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using TusCluster.LoadDriver.Metrics;

namespace TusCluster.LoadDriver.Scenarios;

/// <summary>
/// The tus requests the scenarios are made of. Each HTTP request is timed per request kind and bounded
/// by the run's timeout; a failure is counted once, here. A retryable failure (no answer, 409, 423,
/// 429, 5xx) is tried again as tus-js-client does (<see cref="RetryPolicy"/>); one that is not, or
/// whose retries are spent, surfaces as <see cref="TusRequestException"/>.
/// </summary>
internal sealed class TusClient
{
    private const string TusVersion = "1.0.0";

    private readonly HttpClient _http;
    private readonly EndpointSelector _endpoints;
    private readonly RunMetrics _metrics;
    private readonly TimeSpan _timeout;
    private readonly RetryPolicy _retry;
    private readonly TimeProvider _time;

    /// <summary>Successful PATCHes in a row that did not move the offset before an upload is given up.</summary>
    private const int MaxStalls = 3;

    public TusClient(HttpClient http, EndpointSelector endpoints, RunMetrics metrics, TimeSpan timeout, RetryPolicy retry, TimeProvider time)
    {
        _http = http;
        _endpoints = endpoints;
        _metrics = metrics;
        _timeout = timeout;
        _retry = retry;
        _time = time;
    }

    public RunMetrics Metrics => _metrics;

    /// <summary>
    /// POST: creates an upload of <paramref name="length"/> bytes; with <paramref name="body"/>, sends it
    /// whole in the same request (creation-with-upload). Returns the upload URL and its offset.
    /// </summary>
    public Task<(Uri Url, long Offset)> CreateAsync(int vu, long length, UploadSource? body, string? concat, CancellationToken cancellationToken) =>
        WithRetriesAsync(() => CreateOnceAsync(vu, length, body, concat, cancellationToken), cancellationToken);

    private Task<(Uri Url, long Offset)> CreateOnceAsync(int vu, long length, UploadSource? body, string? concat, CancellationToken cancellationToken)
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

            if (response.StatusCode == HttpStatusCode.Conflict && response.Headers.Contains("Upload-Offset"))
            {
                // Which way the server's offset moved tells a commit the client never heard of (ahead)
                // from acknowledged bytes the server forgot (behind).
                var current = OffsetOf(RequestKind.Patch, response);
                throw Fail(RequestKind.Patch, current > offset ? "409 (server offset ahead)" : "409 (server offset behind)", 409);
            }

            Expect(RequestKind.Patch, response, HttpStatusCode.NoContent);
            var next = OffsetOf(RequestKind.Patch, response);
            _metrics.BytesAcknowledged(Math.Max(0, next - offset));
            return Task.FromResult(next);
        }, cancellationToken);
    }

    /// <summary>HEAD: the offset the server holds for the upload.</summary>
    public Task<long> HeadAsync(Uri upload, CancellationToken cancellationToken) =>
        WithRetriesAsync(() => HeadOnceAsync(upload, cancellationToken), cancellationToken);

    private Task<long> HeadOnceAsync(Uri upload, CancellationToken cancellationToken) =>
        SendAsync(RequestKind.Head, Request(HttpMethod.Head, _endpoints.UploadUrl(upload)), (response, _) =>
        {
            Expect(RequestKind.Head, response, HttpStatusCode.OK);
            return Task.FromResult(OffsetOf(RequestKind.Head, response));
        }, cancellationToken);

    /// <summary>
    /// Sends the upload from <paramref name="offset"/> to its end in PATCHes of at most
    /// <paramref name="chunkSize"/> bytes, each starting where the server says the last one ended.
    /// After a retryable failure it does what tus-js-client does: wait the next retry delay, ask the
    /// server with HEAD where the upload stands, and go on from there; a failed HEAD spends a retry too,
    /// and the count starts over once the upload has got further than it was at the last retry.
    /// </summary>
    public async Task UploadFromAsync(Uri upload, UploadSource source, long offset, long chunkSize, bool tolerateConflict, CancellationToken cancellationToken)
    {
        var retry = 0;
        var offsetAtLastRetry = offset;
        var acknowledged = offset;
        var stalls = 0;
        while (offset < source.Length)
        {
            TusRequestException failure;
            try
            {
                var next = await PatchAsync(upload, source, offset, Math.Min(chunkSize, source.Length - offset), null, tolerateConflict, cancellationToken);
                stalls = next > offset ? 0 : stalls + 1;
                if (stalls >= MaxStalls)
                {
                    throw Fail(RequestKind.Patch, "no progress");
                }

                offset = next;
                acknowledged = Math.Max(acknowledged, next);
                continue;
            }
            catch (TusRequestException e) when (e.Retryable)
            {
                failure = e;
            }

            while (true)
            {
                if (offset > offsetAtLastRetry)
                {
                    retry = 0;
                }

                if (retry >= _retry.Delays.Count)
                {
                    throw failure;
                }

                await WaitBeforeRetryAsync(retry++, failure, cancellationToken);
                offsetAtLastRetry = offset;
                try
                {
                    var resumeFrom = await HeadOnceAsync(upload, cancellationToken);
                    if (resumeFrom < acknowledged)
                    {
                        // Resuming from here would re-send the bytes and hide that the server lost them.
                        _metrics.OffsetRegressed();
                        _metrics.Error("HEAD offset below an acknowledged offset");
                    }

                    // Bytes of the failed PATCH that the server kept are acknowledged only by this HEAD.
                    _metrics.BytesAcknowledged(Math.Max(0, resumeFrom - offset));
                    _metrics.Recovered();
                    offset = resumeFrom;
                    break;
                }
                catch (TusRequestException e) when (e.Retryable)
                {
                    failure = e;
                }
            }
        }
    }

    /// <summary>
    /// GET: reads the upload back, hashing as it streams, and counts it verified, corrupted or lost.
    /// A failed read, whatever the failure (a 404 included), is retried as any request is first: a
    /// replica killed mid-download (chaos mode) or a dependency answering 503 is not a lost upload; one
    /// that stays unreadable is.
    /// </summary>
    public async Task VerifyAsync(Uri upload, byte[] expectedHash, long expectedLength, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                await VerifyOnceAsync(upload, expectedHash, expectedLength, cancellationToken);
                return;
            }
            catch (TusRequestException e) when (retry < _retry.Delays.Count)
            {
                await WaitBeforeRetryAsync(retry, e, cancellationToken);
            }
            catch (TusRequestException)
            {
                _metrics.UploadLost(upload, expectedHash, expectedLength);
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
        WithRetriesAsync(() => DeleteOnceAsync(upload, cancellationToken), cancellationToken);

    private Task<bool> DeleteOnceAsync(Uri upload, CancellationToken cancellationToken) =>
        SendAsync(RequestKind.Delete, Request(HttpMethod.Delete, _endpoints.UploadUrl(upload)), (response, _) =>
        {
            Expect(RequestKind.Delete, response, HttpStatusCode.NoContent);
            return Task.FromResult(true);
        }, cancellationToken);

    /// <summary>One request, tried again after each retryable failure until the retries are spent.</summary>
    private async Task<T> WithRetriesAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var retry = 0; ; retry++)
        {
            try
            {
                return await attempt();
            }
            catch (TusRequestException e) when (e.Retryable && retry < _retry.Delays.Count)
            {
                await WaitBeforeRetryAsync(retry, e, cancellationToken);
            }
        }
    }

    private Task WaitBeforeRetryAsync(int retry, TusRequestException failure, CancellationToken cancellationToken)
    {
        _metrics.Retried();
        var delay = _retry.DelayBefore(retry, failure.RetryAfter, _time.GetUtcNow());
        return Task.Delay(delay, _time, cancellationToken);
    }

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
            throw Fail(kind, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), (int)response.StatusCode, response.Headers.RetryAfter);
        }
    }

    private long OffsetOf(RequestKind kind, HttpResponseMessage response) =>
        response.Headers.TryGetValues("Upload-Offset", out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw Fail(kind, "no Upload-Offset");

    private TusRequestException Fail(RequestKind kind, string what, int? status = null, RetryConditionHeaderValue? retryAfter = null)
    {
        _metrics.Error($"{Name(kind)} {what}");
        return new TusRequestException($"{Name(kind)}: {what}") { StatusCode = status, RetryAfter = retryAfter };
    }
}
