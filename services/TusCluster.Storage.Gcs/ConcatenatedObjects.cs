using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.Gcs;

/// <summary>The bytes of several objects one after the other, each opened only when the previous one ends.</summary>
internal sealed class ConcatenatedObjects(GcsBucket bucket, IReadOnlyList<ComposeSource> sources, CancellationToken cancellationToken) : ReadOnlyStream
{
    private int _next;
    private Stream? _current;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellation = default)
    {
        while (true)
        {
            if (_current is null)
            {
                while (_next < sources.Count && sources[_next].Size == 0)
                {
                    _next++;
                }

                if (_next == sources.Count)
                {
                    return 0;
                }

                var source = sources[_next++];
                _current = await bucket.OpenReadAsync(source.Name, source.Generation, 0, source.Size, cancellationToken);
            }

            var read = await _current.ReadAsync(buffer, cancellation);
            if (read > 0)
            {
                return read;
            }

            await _current.DisposeAsync();
            _current = null;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask DisposeAsync()
    {
        if (_current is not null)
        {
            await _current.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
