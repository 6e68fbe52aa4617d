using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using TusCluster.Hooks.Payload;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Http;

/// <summary>
/// tusd's HTTP hooks: each event is POSTed as tusd's hook JSON; a 2xx answer's body is the decision of
/// a blocking hook. Transport errors, timeouts, 5xx and 429 are retried; any other status fails at once.
/// </summary>
internal sealed class HttpHookSink : IHookSink
{
    public const string ClientName = "TusCluster.Hooks.Http";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly IHttpClientFactory _clients;
    private readonly HttpHookOptions _options;
    private readonly Uri _url;
    private readonly IReadOnlySet<UploadEventType> _events;
    private readonly ResiliencePipeline<HttpHookAnswer> _pipeline;

    public HttpHookSink(IHttpClientFactory clients, IOptions<HttpHookOptions> options, ILogger<HttpHookSink> logger, TimeProvider? timeProvider = null)
    {
        _clients = clients;
        _options = options.Value;
        _url = new Uri(_options.Url!, UriKind.Absolute);
        _events = HookEventsSetting.Resolve(_options.Events, HookEventsSetting.TusdDefault);
        _pipeline = HttpHookPipeline.Create(_options, logger, timeProvider ?? TimeProvider.System);
    }

    public string Name => "http";

    public bool CanDecide => true;

    public IEnumerable<string> HeadersNeeded => _options.ForwardHeaders;

    public bool Handles(UploadEventType type) => _events.Contains(type);

    public async ValueTask<HookDecision> InvokeAsync(UploadEvent uploadEvent, CancellationToken cancellationToken)
    {
        var body = TusdHookJson.SerializeRequest(uploadEvent);
        HttpHookAnswer answer;
        try
        {
            answer = await _pipeline.ExecuteAsync(
                static (state, token) => state.Sink.AttemptAsync(state.Event, state.Body, token),
                (Sink: this, Event: uploadEvent, Body: body),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException or IOException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var reason = exception is TimeoutRejectedException timeout ? $"no answer within {timeout.Timeout}" : exception.Message;
            throw new HookUnavailableException($"The HTTP hook at {_url} did not take the {uploadEvent.Type.Name()} event: {reason}", exception);
        }

        if (!answer.IsSuccess)
        {
            throw new HookUnavailableException($"The HTTP hook at {_url} answered the {uploadEvent.Type.Name()} event with status {answer.StatusCode}.");
        }

        // A post-* answer decides nothing; tusd reads it but ignores it, and a bad one must not cause a redelivery.
        return uploadEvent.Type.IsBlocking() ? TusdHookJson.ParseResponse(answer.Body, _options.MaxResponseBytes) : HookDecision.Proceed;
    }

    private async ValueTask<HttpHookAnswer> AttemptAsync(UploadEvent uploadEvent, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        foreach (var name in _options.ForwardHeaders)
        {
            if (FindHeader(uploadEvent.HttpRequest.Header, name) is { } values)
            {
                request.Headers.TryAddWithoutValidation(name, values);
            }
        }

        if (!string.IsNullOrEmpty(_options.Secret))
        {
            request.Headers.TryAddWithoutValidation(_options.SecretHeaderName, _options.Secret);
        }

        using var response = await _clients.CreateClient(ClientName)
            .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status is < 200 or >= 300)
        {
            return new HttpHookAnswer(status, []);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return new HttpHookAnswer(status, await BoundedRead.ReadAsync(stream, _options.MaxResponseBytes, cancellationToken).ConfigureAwait(false));
        }
    }

    private static string[]? FindHeader(IReadOnlyDictionary<string, string[]> headers, string name) =>
        headers.TryGetValue(name, out var values)
            ? values
            : headers.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
