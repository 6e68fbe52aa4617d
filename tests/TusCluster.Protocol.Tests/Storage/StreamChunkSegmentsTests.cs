using System.Buffers;
using TusCluster.Protocol.Storage;

namespace TusCluster.Protocol.Tests.Storage;

public sealed class StreamChunkSegmentsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task What_is_not_taken_is_read_again_and_the_rest_follows_in_buffer_sized_reads()
    {
        var bytes = Enumerable.Range(0, 5_000).Select(i => (byte)(i * 13)).ToArray();
        using var segments = new StreamChunkSegments(new MemoryStream(bytes), bufferSize: 1024, gatherAtLeast: 1024);

        var first = await segments.ReadSegmentsAsync(Token);
        Assert.Equal(1024, first.Length);
        segments.Consume(400);
        var again = await segments.ReadSegmentsAsync(Token);
        Assert.Equal(bytes[400..1024], again.ToArray());
        segments.Consume(again.Length);

        var received = new List<byte>(bytes[..1024]);
        for (var data = await segments.ReadSegmentsAsync(Token); !data.IsEmpty; data = await segments.ReadSegmentsAsync(Token))
        {
            received.AddRange(data.ToArray());
            segments.Consume(data.Length);
        }

        Assert.Equal(bytes, received);
    }

    [Fact]
    public async Task Taking_more_than_was_read_is_refused()
    {
        using var segments = new StreamChunkSegments(new MemoryStream(new byte[10]));
        var data = await segments.ReadSegmentsAsync(Token);

        Assert.Throws<ArgumentOutOfRangeException>(() => segments.Consume(data.Length + 1));
    }
}
