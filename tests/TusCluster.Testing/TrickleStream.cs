namespace TusCluster.Testing;

/// <summary>
/// A request body: hands out <c>first</c>, then (when a gate is given) waits for the gate before
/// handing out <c>rest</c>. Each read returns at most <c>maxRead</c> bytes, like a socket would.
/// </summary>
public sealed class TrickleStream(byte[] first, int maxRead = int.MaxValue, Task? gate = null, byte[]? rest = null) : Stream
{
    private readonly TaskCompletionSource _atGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _rest = rest ?? [];
    private int _position;

    /// <summary>Completes when every byte before the gate has been read and the reader waits at the gate.</summary>
    public Task AtGate => _atGate.Task;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position == first.Length && gate is not null)
        {
            _atGate.TrySetResult();
            await gate.WaitAsync(cancellationToken);
        }

        var source = _position < first.Length ? first.AsMemory(_position) : _rest.AsMemory(_position - first.Length);
        var count = Math.Min(Math.Min(buffer.Length, maxRead), source.Length);
        source[..count].CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
