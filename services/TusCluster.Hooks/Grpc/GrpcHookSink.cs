using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using TusCluster.Hooks.Grpc.Proto;
using TusCluster.Hooks.Payload;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Grpc;

/// <summary>
/// tusd's gRPC hooks: proto.HookHandler/InvokeHook with tusd's messages, a deadline per call and retries
/// on Unavailable, DeadlineExceeded and ResourceExhausted.
/// </summary>
internal sealed class GrpcHookSink : IHookSink, IDisposable
{
    /// <summary>
    /// Our event id and replica have no field in tusd's HookRequest, and adding field numbers to tusd's
    /// messages could clash with tusd's own future fields; they travel as call metadata instead, which a
    /// server written for tusd simply ignores.
    /// </summary>
    public const string EventIdHeader = "tus-event-id";

    public const string ReplicaHeader = "tus-replica";

    private readonly GrpcHookOptions _options;
    private readonly GrpcChannel _channel;
    private readonly HookHandler.HookHandlerClient _client;
    private readonly IReadOnlySet<UploadEventType> _events;
    private readonly ResiliencePipeline _pipeline;

    public GrpcHookSink(IOptions<GrpcHookOptions> options, ILoggerFactory loggerFactory, TimeProvider? timeProvider = null)
    {
        _options = options.Value;
        _channel = GrpcChannel.ForAddress(_options.Address!, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2) },
            MaxReceiveMessageSize = _options.MaxResponseBytes,
            LoggerFactory = loggerFactory,
        });
        _client = new HookHandler.HookHandlerClient(_channel);
        _events = HookEventsSetting.Resolve(_options.Events, HookEventsSetting.TusdDefault);
        _pipeline = GrpcHookPipeline.Create(_options, loggerFactory.CreateLogger<GrpcHookSink>(), timeProvider ?? TimeProvider.System);
    }

    public string Name => "grpc";

    public bool CanDecide => true;

    public IEnumerable<string> HeadersNeeded => _options.ForwardHeaders;

    public bool Handles(UploadEventType type) => _events.Contains(type);

    public async ValueTask<HookDecision> InvokeAsync(UploadEvent uploadEvent, CancellationToken cancellationToken)
    {
        var request = GrpcHookMessages.ToRequest(uploadEvent);
        var metadata = Metadata(uploadEvent);
        HookResponse response;
        try
        {
            response = await _pipeline.ExecuteAsync(
                static (state, token) => state.Sink.CallAsync(state.Request, state.Metadata, token),
                (Sink: this, Request: request, Metadata: metadata),
                cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException exception)
        {
            throw new HookUnavailableException($"The gRPC hook at {_options.Address} did not take the {uploadEvent.Type.Name()} event: {exception.StatusCode} {exception.Status.Detail}", exception);
        }
        catch (TimeoutRejectedException exception)
        {
            throw new HookUnavailableException($"The gRPC hook at {_options.Address} did not take the {uploadEvent.Type.Name()} event: no answer within {exception.Timeout}", exception);
        }

        return uploadEvent.Type.IsBlocking() ? GrpcHookMessages.ToDecision(response) : HookDecision.Proceed;
    }

    public void Dispose() => _channel.Dispose();

    private async ValueTask<HookResponse> CallAsync(HookRequest request, Metadata metadata, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.InvokeHookAsync(request, metadata, DateTime.UtcNow + _options.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException exception) when (exception.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            // Our token ended the call (the caller or the total timeout): cancellation, not a verdict of the server.
            // Grpc.Net.Client's ThrowOperationCanceledOnCancellation would turn DeadlineExceeded into this too.
            throw new OperationCanceledException(exception.Message, exception, cancellationToken);
        }
    }

    private Metadata Metadata(UploadEvent uploadEvent)
    {
        var metadata = new Metadata { { EventIdHeader, uploadEvent.Id }, { ReplicaHeader, uploadEvent.Replica } };
        foreach (var name in _options.ForwardHeaders)
        {
            // tusd forwards the first value only (Header.Get).
            var values = uploadEvent.HttpRequest.Header.FirstOrDefault(pair => string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
            if (values is [var first, ..] && first.Length > 0)
            {
                metadata.Add(name.ToLowerInvariant(), first);
            }
        }

        return metadata;
    }
}
