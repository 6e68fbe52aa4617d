using System.Text.Json;
using System.Threading.Channels;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd.Gateway;

/// <summary>
/// One watch on a key or key range, read from the gateway's streaming <c>/v3/watch</c> answer
/// (newline-delimited JSON). When the stream breaks it reconnects, to any endpoint, from the revision
/// after the last one it saw, so no event is lost unless etcd compacted it meanwhile (then it resumes
/// at the compaction revision). Disposing cancels the stream.
/// </summary>
internal sealed class EtcdWatchStream : IAsyncDisposable
{
    private readonly EtcdClient _client;
    private readonly byte[] _key;
    private readonly byte[]? _rangeEnd;
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<EtcdEvent> _events = Channel.CreateUnbounded<EtcdEvent>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private long _next;
    private volatile bool _connected;

    public EtcdWatchStream(EtcdClient client, byte[] key, byte[]? rangeEnd, long startRevision)
    {
        _client = client;
        _key = key;
        _rangeEnd = rangeEnd;
        _next = startRevision;
        _loop = Task.Run(RunAsync);
    }

    public ChannelReader<EtcdEvent> Events => _events.Reader;

    /// <summary>Completes once etcd confirmed the watch for the first time.</summary>
    public Task Created => _created.Task;

    /// <summary>True while a stream is open and confirmed.</summary>
    public bool IsConnected => _connected;

    /// <summary>The revision the next (re)connection starts from; 0 until the first confirmation.</summary>
    public long NextRevision => Interlocked.Read(ref _next);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await ReadOneStreamAsync(_stop.Token);
                delay = TimeSpan.FromMilliseconds(50);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is CoordinationUnavailableException or HttpRequestException or IOException or JsonException or OperationCanceledException)
            {
                // etcd unreachable or the stream broke: reconnect after a short pause.
            }
            finally
            {
                _connected = false;
            }

            try
            {
                await Task.Delay(delay, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }

        _events.Writer.TryComplete();
    }

    private async Task ReadOneStreamAsync(CancellationToken cancellationToken)
    {
        var start = Interlocked.Read(ref _next);
        var request = new EtcdWatchRequest
        {
            CreateRequest = new EtcdWatchCreateRequest { Key = _key, RangeEnd = _rangeEnd, StartRevision = start > 0 ? start : null },
        };
        using var response = await _client.OpenStreamAsync("/v3/watch", request, EtcdJsonContext.Default.EtcdWatchRequest, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var message = JsonSerializer.Deserialize(line, EtcdJsonContext.Default.EtcdStreamMessageEtcdWatchResponse);
            if (message?.Error is { } error)
            {
                throw new CoordinationUnavailableException($"The etcd watch failed: {error.Message}", new EtcdErrorException(error.Code, 200, error.Message ?? ""));
            }

            if (message?.Result is not { } result)
            {
                continue;
            }

            if (result.Created)
            {
                if (Interlocked.Read(ref _next) == 0 && result.Header is { Revision: > 0 } header)
                {
                    Interlocked.Exchange(ref _next, header.Revision + 1);
                }

                _connected = true;
                _created.TrySetResult();
            }

            if (result.Canceled)
            {
                if (result.CompactRevision > 0)
                {
                    Interlocked.Exchange(ref _next, result.CompactRevision);
                }

                return;
            }

            foreach (var e in result.Events ?? [])
            {
                await _events.Writer.WriteAsync(e, cancellationToken);
                if (e.Kv is { ModRevision: > 0 } kv)
                {
                    Interlocked.Exchange(ref _next, kv.ModRevision + 1);
                }
            }
        }
    }
}
