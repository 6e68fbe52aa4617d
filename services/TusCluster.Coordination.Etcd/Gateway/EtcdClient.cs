using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polly;
using Polly.Retry;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd.Gateway;

/// <summary>
/// A small etcd v3 client over the JSON gateway (grpc-gateway) that etcd serves on its client port.
/// Several endpoints: a request that cannot reach one (connection refused, 5xx) goes to the next,
/// and the one that answered is tried first from then on. Requests whose effect is unknown after a
/// failure (a transaction that was sent but not answered) are never repeated here. Every failure to
/// reach etcd surfaces as <see cref="CoordinationUnavailableException"/>; an error etcd answered is
/// its inner <see cref="EtcdErrorException"/>.
/// </summary>
internal sealed class EtcdClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly HttpClient _http;
    private readonly Uri[] _endpoints;
    private readonly string? _username;
    private readonly string? _password;
    private readonly SemaphoreSlim _authGate = new(1, 1);
    private readonly ResiliencePipeline _readRetry;
    private int _preferred;
    private int _authentications;
    private volatile string? _token;

    public EtcdClient(IReadOnlyList<Uri> endpoints, string? username, string? password, TimeSpan requestTimeout)
    {
        if (endpoints.Count == 0)
        {
            throw new ArgumentException("At least one etcd endpoint is needed.", nameof(endpoints));
        }

        _endpoints = [.. endpoints];
        _username = string.IsNullOrEmpty(username) ? null : username;
        _password = password ?? "";
        RequestTimeout = requestTimeout;
        _http = new HttpClient(
            new SocketsHttpHandler
            {
                ConnectTimeout = requestTimeout < TimeSpan.FromSeconds(2) ? requestTimeout : TimeSpan.FromSeconds(2),
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
                UseProxy = false,
            })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _readRetry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = 2,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(50),
                ShouldHandle = new PredicateBuilder().Handle<CoordinationUnavailableException>(IsTransient),
            })
            .Build();
    }

    public TimeSpan RequestTimeout { get; }

    /// <summary>How many tokens this client obtained (tests).</summary>
    internal int Authentications => Volatile.Read(ref _authentications);

    /// <summary>The endpoint tried first (the last one that answered).</summary>
    public Uri PreferredEndpoint => _endpoints[Volatile.Read(ref _preferred)];

    public Task<EtcdRangeResponse> RangeAsync(EtcdRangeRequest request, CancellationToken cancellationToken) =>
        SendAsync("/v3/kv/range", request, EtcdJsonContext.Default.EtcdRangeRequest, EtcdJsonContext.Default.EtcdRangeResponse, idempotent: true, null, cancellationToken);

    public Task<EtcdPutResponse> PutAsync(EtcdPutRequest request, CancellationToken cancellationToken) =>
        SendAsync("/v3/kv/put", request, EtcdJsonContext.Default.EtcdPutRequest, EtcdJsonContext.Default.EtcdPutResponse, idempotent: false, null, cancellationToken);

    public Task<EtcdDeleteRangeResponse> DeleteAsync(EtcdDeleteRangeRequest request, CancellationToken cancellationToken) =>
        SendAsync("/v3/kv/deleterange", request, EtcdJsonContext.Default.EtcdDeleteRangeRequest, EtcdJsonContext.Default.EtcdDeleteRangeResponse, idempotent: false, null, cancellationToken);

    public Task<EtcdTxnResponse> TxnAsync(EtcdTxnRequest request, CancellationToken cancellationToken) =>
        SendAsync("/v3/kv/txn", request, EtcdJsonContext.Default.EtcdTxnRequest, EtcdJsonContext.Default.EtcdTxnResponse, idempotent: false, null, cancellationToken);

    public Task<EtcdLeaseGrantResponse> LeaseGrantAsync(long ttlSeconds, CancellationToken cancellationToken) =>
        SendAsync("/v3/lease/grant", new EtcdLeaseGrantRequest { Ttl = ttlSeconds }, EtcdJsonContext.Default.EtcdLeaseGrantRequest, EtcdJsonContext.Default.EtcdLeaseGrantResponse, idempotent: false, null, cancellationToken);

    /// <summary>Renews a lease once; the result's TTL is 0 when the lease no longer exists.</summary>
    public async Task<EtcdLeaseKeepAliveResult> LeaseKeepAliveAsync(long leaseId, CancellationToken cancellationToken)
    {
        var message = await SendAsync(
            "/v3/lease/keepalive",
            new EtcdLeaseIdRequest { Id = leaseId },
            EtcdJsonContext.Default.EtcdLeaseIdRequest,
            EtcdJsonContext.Default.EtcdStreamMessageEtcdLeaseKeepAliveResult,
            idempotent: true,
            null,
            cancellationToken);
        if (message.Error is { } error)
        {
            throw new CoordinationUnavailableException($"etcd refused to renew lease {leaseId}: {error.Message}", new EtcdErrorException(error.Code, 200, error.Message ?? ""));
        }

        return message.Result ?? new EtcdLeaseKeepAliveResult { Id = leaseId };
    }

    public Task<EtcdLeaseRevokeResponse> LeaseRevokeAsync(long leaseId, CancellationToken cancellationToken) =>
        SendAsync("/v3/lease/revoke", new EtcdLeaseIdRequest { Id = leaseId }, EtcdJsonContext.Default.EtcdLeaseIdRequest, EtcdJsonContext.Default.EtcdLeaseRevokeResponse, idempotent: true, null, cancellationToken);

    public Task<EtcdStatusResponse> StatusAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        SendAsync("/v3/maintenance/status", new EtcdEmptyRequest(), EtcdJsonContext.Default.EtcdEmptyRequest, EtcdJsonContext.Default.EtcdStatusResponse, idempotent: true, timeout, cancellationToken);

    /// <summary>Watches a key (or the range up to <paramref name="rangeEnd"/>) from <paramref name="startRevision"/> (0: from now).</summary>
    public EtcdWatchStream Watch(byte[] key, byte[]? rangeEnd, long startRevision) => new(this, key, rangeEnd, startRevision);

    /// <summary>Opens a streaming request (watch); the caller reads and disposes the response.</summary>
    internal async Task<HttpResponseMessage> OpenStreamAsync<TRequest>(string path, TRequest request, JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connect.CancelAfter(RequestTimeout);
        try
        {
            return await SendToEndpointsAsync(path, body, idempotent: true, HttpCompletionOption.ResponseHeadersRead, connect.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CoordinationUnavailableException($"etcd did not answer {path} within {RequestTimeout}.", e);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _authGate.Dispose();
    }

    private static bool IsTransient(CoordinationUnavailableException e) => e.InnerException is not EtcdErrorException { HttpStatus: < 500 };

    private async Task<TResponse> SendAsync<TRequest, TResponse>(
        string path,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        bool idempotent,
        TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        var limit = timeout ?? RequestTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            if (idempotent && timeout is null)
            {
                return await _readRetry.ExecuteAsync(
                    async token => await SendOnceAsync(path, body, responseType, idempotent, token),
                    deadline.Token);
            }

            return await SendOnceAsync(path, body, responseType, idempotent, deadline.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CoordinationUnavailableException($"etcd did not answer {path} within {limit}.", e);
        }
    }

    private async Task<TResponse> SendOnceAsync<TResponse>(string path, byte[] body, JsonTypeInfo<TResponse> responseType, bool idempotent, CancellationToken cancellationToken)
    {
        using var response = await SendToEndpointsAsync(path, body, idempotent, HttpCompletionOption.ResponseContentRead, cancellationToken);
        byte[] bytes;
        try
        {
            bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new CoordinationUnavailableException($"The answer of etcd to {path} broke off.", e);
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, responseType) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new CoordinationUnavailableException($"etcd answered {path} with something that is not JSON of the expected shape.", e);
        }
    }

    private async Task<HttpResponseMessage> SendToEndpointsAsync(string path, byte[] body, bool idempotent, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        Exception? last = null;
        var first = Volatile.Read(ref _preferred);
        for (var i = 0; i < _endpoints.Length; i++)
        {
            var index = (first + i) % _endpoints.Length;
            var endpoint = _endpoints[index];
            var reauthenticated = false;

            // A read may go to the next endpoint when this one hangs, so it gets a share of the time only.
            using var attempt = idempotent && _endpoints.Length > 1 ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
            attempt?.CancelAfter(RequestTimeout / _endpoints.Length);
            var attemptToken = attempt?.Token ?? cancellationToken;
            while (true)
            {
                HttpResponseMessage response;
                try
                {
                    var token = await TokenAsync(endpoint, attemptToken);
                    using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path))
                    {
                        Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
                    };
                    if (token is not null)
                    {
                        message.Headers.TryAddWithoutValidation("Authorization", token);
                    }

                    response = await _http.SendAsync(message, completion, attemptToken);
                }
                catch (HttpRequestException e) when (idempotent || e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
                {
                    // Nothing reached this endpoint (or repeating the request is harmless): try the next one.
                    last = e;
                    break;
                }
                catch (HttpRequestException e)
                {
                    throw new CoordinationUnavailableException($"The request {path} to etcd at {endpoint} failed; its outcome is unknown.", e);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    // A read's share of the time ran out, or the handler's ConnectTimeout struck (then nothing
                    // was sent): either way the next endpoint may be asked.
                    last = e;
                    break;
                }

                if (response.IsSuccessStatusCode)
                {
                    Volatile.Write(ref _preferred, index);
                    return response;
                }

                EtcdErrorException error;
                using (response)
                {
                    error = await ReadErrorAsync(response, attemptToken);
                }

                if (error.HttpStatus >= 500)
                {
                    if (!idempotent)
                    {
                        throw new CoordinationUnavailableException($"etcd at {endpoint} failed {path}: {error.Message}", error);
                    }

                    last = error;
                    break;
                }

                if (error.IsInvalidToken && _username is not null && !reauthenticated)
                {
                    reauthenticated = true;
                    _token = null;
                    continue;
                }

                throw new CoordinationUnavailableException($"etcd at {endpoint} refused {path}: {error.Message}", error);
            }
        }

        throw new CoordinationUnavailableException($"No etcd endpoint answered {path} ({string.Join(", ", _endpoints.Select(e => e.ToString()))}).", last ?? new HttpRequestException("no endpoint"));
    }

    private static async Task<EtcdErrorException> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var error = JsonSerializer.Deserialize(bytes, EtcdJsonContext.Default.EtcdError);
            if (error is not null && (error.Message ?? error.Error) is { } message)
            {
                return new EtcdErrorException(error.Code, status, message);
            }
        }
        catch (Exception e) when (e is JsonException or HttpRequestException or IOException)
        {
            // Not a gateway error body (a proxy in between, a broken connection): report the status alone.
        }

        return new EtcdErrorException(0, status, $"HTTP {status} {response.ReasonPhrase}");
    }

    /// <summary>The auth token for requests, authenticating first when credentials are configured and no token is held.</summary>
    private async ValueTask<string?> TokenAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        if (_username is null)
        {
            return null;
        }

        if (_token is { } token)
        {
            return token;
        }

        await _authGate.WaitAsync(cancellationToken);
        try
        {
            if (_token is { } fresh)
            {
                return fresh;
            }

            var body = JsonSerializer.SerializeToUtf8Bytes(new EtcdAuthenticateRequest { Name = _username, Password = _password! }, EtcdJsonContext.Default.EtcdAuthenticateRequest);
            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, "/v3/auth/authenticate"))
            {
                Content = new ByteArrayContent(body) { Headers = { ContentType = Json } },
            };
            using var response = await _http.SendAsync(message, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var error = await ReadErrorAsync(response, cancellationToken);
                if (error.HttpStatus >= 500)
                {
                    throw new HttpRequestException(HttpRequestError.ConnectionError, $"etcd at {endpoint} could not authenticate: {error.Message}", error, (HttpStatusCode)error.HttpStatus);
                }

                throw new CoordinationUnavailableException($"etcd at {endpoint} refused to authenticate user '{_username}': {error.Message}", error);
            }

            var answer = JsonSerializer.Deserialize(await response.Content.ReadAsByteArrayAsync(cancellationToken), EtcdJsonContext.Default.EtcdAuthenticateResponse);
            _token = answer?.Token ?? throw new CoordinationUnavailableException($"etcd at {endpoint} answered authenticate without a token.");
            Interlocked.Increment(ref _authentications);
            return _token;
        }
        finally
        {
            _authGate.Release();
        }
    }
}
