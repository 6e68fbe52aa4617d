using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis.Resp;

/// <summary>
/// One RESP2 connection. Commands are pipelined: any number may be written before the first reply
/// arrives, and replies are matched to them in order. Any transport failure, protocol error or
/// command timeout breaks the connection; every command still waiting then fails with
/// <see cref="CoordinationUnavailableException"/>, and the owner replaces the connection.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Lock _queueGate = new();
    private readonly Queue<TaskCompletionSource<RespValue>> _pending = new();
    private readonly Func<RespValue, bool>? _push;
    private readonly TimeSpan _commandTimeout;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _endpoint;
    private Exception? _failure;

    private RedisConnection(Socket socket, Stream stream, TimeSpan commandTimeout, string endpoint, Func<RespValue, bool>? push)
    {
        _socket = socket;
        _stream = stream;
        _commandTimeout = commandTimeout;
        _endpoint = endpoint;
        _push = push;
        _reader = PipeReader.Create(stream);
        _writer = PipeWriter.Create(stream);
    }

    /// <summary>Completes when the connection is broken or disposed.</summary>
    public Task Closed => _closed.Task;

    public bool IsBroken => Volatile.Read(ref _failure) is not null;

    /// <summary>
    /// Connects, authenticates and selects the database, all within the connect timeout.
    /// <paramref name="push"/>, when given, sees every reply first and consumes the ones it returns
    /// true for (pub/sub messages); the others are matched to commands.
    /// </summary>
    public static async Task<RedisConnection> ConnectAsync(RedisCoordinationOptions options, Func<RespValue, bool>? push, CancellationToken cancellationToken)
    {
        if (!RedisEndpoint.TryParse(options.Endpoint, out var endpoint))
        {
            throw new CoordinationUnavailableException($"Tus:Coordination:Redis:Endpoint '{options.Endpoint}' is not host:port.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        RedisConnection? connection = null;
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (options.UseTls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = endpoint.Host, RemoteCertificateValidationCallback = options.RemoteCertificateValidation }, timeout.Token);
                stream = ssl;
            }

            connection = new RedisConnection(socket, stream, options.CommandTimeout, endpoint.ToString(), push);
            connection.StartReading();
            if (!string.IsNullOrEmpty(options.Password))
            {
                string[] auth = string.IsNullOrEmpty(options.User) ? ["AUTH", options.Password] : ["AUTH", options.User, options.Password];
                var reply = await connection.ExecuteAsync(auth, timeout.Token);
                if (reply.IsError)
                {
                    throw new CoordinationUnavailableException(
                        $"Redis at {endpoint} refused authentication (check Tus:Coordination:Redis:User and Tus:Coordination:Redis:Password): {reply.Text}",
                        new RedisErrorException(reply.Text ?? "AUTH failed"));
                }
            }

            if (options.Database != 0)
            {
                var reply = await connection.ExecuteAsync(["SELECT", options.Database.ToString(System.Globalization.CultureInfo.InvariantCulture)], timeout.Token);
                if (reply.IsError)
                {
                    throw new CoordinationUnavailableException(
                        $"Redis at {endpoint} refused Tus:Coordination:Redis:Database {options.Database}: {reply.Text}",
                        new RedisErrorException(reply.Text ?? "SELECT failed"));
                }
            }

            return connection;
        }
        catch (Exception e)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
            else
            {
                socket.Dispose();
            }

            if (e is CoordinationUnavailableException)
            {
                throw;
            }

            if (e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new CoordinationUnavailableException($"Cannot connect to Redis at {endpoint} within {options.ConnectTimeout}: {e.Message}", e);
        }
    }

    /// <summary>Sends one command and waits for its reply (an error reply is returned, not thrown).</summary>
    public async Task<RespValue> ExecuteAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<RespValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (var writeTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            writeTimeout.CancelAfter(_commandTimeout);
            try
            {
                await _writeGate.WaitAsync(writeTimeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Unavailable($"Redis at {_endpoint} did not accept a command within {_commandTimeout}.", new TimeoutException());
            }

            try
            {
                lock (_queueGate)
                {
                    if (_failure is { } failure)
                    {
                        throw Unavailable($"The connection to Redis at {_endpoint} is broken: {failure.Message}", failure);
                    }

                    _pending.Enqueue(reply);
                }

                RespWriter.WriteCommand(_writer, command);
                var flushed = await _writer.FlushAsync(writeTimeout.Token);
                if (flushed.IsCompleted)
                {
                    Fail(new IOException("The connection was closed while writing."));
                }
            }
            catch (OperationCanceledException e)
            {
                // Part of the command may have been written: the stream is no longer usable.
                Fail(new TimeoutException("Writing a command timed out or was cancelled.", e));
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                Fail(e);
            }
            finally
            {
                _writeGate.Release();
            }
        }

        try
        {
            return await reply.Task.WaitAsync(_commandTimeout, cancellationToken);
        }
        catch (TimeoutException e)
        {
            Fail(e);
            throw Unavailable($"Redis at {_endpoint} did not answer {command[0]} within {_commandTimeout}.", e);
        }
    }

    private void StartReading() => _ = Task.Run(ReadLoopAsync);

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync();
                var buffer = result.Buffer;
                while (RespParser.TryParse(ref buffer, out var value))
                {
                    Dispatch(value!);
                }

                _reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    Fail(new IOException($"Redis at {_endpoint} closed the connection."));
                    return;
                }
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private void Dispatch(RespValue value)
    {
        if (_push is not null && _push(value))
        {
            return;
        }

        TaskCompletionSource<RespValue>? waiter;
        lock (_queueGate)
        {
            _pending.TryDequeue(out waiter);
        }

        if (waiter is null)
        {
            throw new RespProtocolException("Redis sent a reply nobody asked for.");
        }

        waiter.TrySetResult(value);
    }

    private void Fail(Exception reason)
    {
        TaskCompletionSource<RespValue>[] waiting;
        lock (_queueGate)
        {
            if (_failure is not null)
            {
                return;
            }

            _failure = reason;
            waiting = [.. _pending];
            _pending.Clear();
        }

        var error = Unavailable($"The connection to Redis at {_endpoint} broke: {reason.Message}", reason);
        foreach (var waiter in waiting)
        {
            waiter.TrySetException(error);
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }

        _socket.Dispose();
        _closed.TrySetResult();
    }

    private static CoordinationUnavailableException Unavailable(string message, Exception inner) => new(message, inner);

    public async ValueTask DisposeAsync()
    {
        Fail(new ObjectDisposedException(nameof(RedisConnection)));
        await _stream.DisposeAsync();
    }
}
