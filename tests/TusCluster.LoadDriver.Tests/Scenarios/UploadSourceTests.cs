using System.Security.Cryptography;
using TusCluster.LoadDriver.Scenarios;

namespace TusCluster.LoadDriver.Tests.Scenarios;

public sealed class UploadSourceTests
{
    [Fact]
    public void Any_range_of_a_seeded_stream_equals_that_slice_of_the_whole()
    {
        var whole = new byte[10_000];
        SeededBytes.Fill(7, 0, whole);

        foreach (var (start, length) in new[] { (0, 10_000), (1, 9), (3, 4_000), (4_093, 17), (9_999, 1) })
        {
            var part = new byte[length];
            SeededBytes.Fill(7, start, part);
            Assert.Equal(whole.AsSpan(start, length).ToArray(), part);
        }
    }

    [Fact]
    public void Different_seeds_give_different_content()
    {
        var a = new byte[64];
        var b = new byte[64];
        SeededBytes.Fill(1, 0, a);
        SeededBytes.Fill(2, 0, b);

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Bytes_sent_again_after_an_interruption_are_hashed_once()
    {
        using var source = new UploadSource(99, 500, 1_000);
        var data = new byte[1_000];
        source.Fill(0, data);

        source.Observe(0, data.AsSpan(0, 600));
        source.Observe(400, data.AsSpan(400, 300));
        source.Observe(650, data.AsSpan(650, 100));

        Assert.Equal(SHA256.HashData(data), source.FinishHash());
    }

    [Fact]
    public void Consecutive_partial_sources_concatenate_to_the_whole_stream()
    {
        var whole = new byte[3_000];
        SeededBytes.Fill(5, 0, whole);
        using var first = new UploadSource(5, 0, 1_000);
        using var second = new UploadSource(5, 1_000, 2_000);
        var a = new byte[1_000];
        var b = new byte[2_000];

        first.Fill(0, a);
        second.Fill(0, b);

        Assert.Equal(whole, a.Concat(b).ToArray());
    }
}
