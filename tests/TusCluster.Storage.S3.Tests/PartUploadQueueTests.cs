using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.S3.Tests;

/// <summary>The bound on part uploads in flight per request (no server needed: the uploads are plain tasks).</summary>
public sealed class PartUploadQueueTests
{
    [Fact]
    public async Task AtMostTheConfiguredNumberOfUploadsRunAtOnce()
    {
        await using var queue = new PartUploadQueue(maxInFlight: 2);
        var first = new TaskCompletionSource<CommittedPart>(TaskCreationOptions.RunContinuationsAsynchronously);
        var second = new TaskCompletionSource<CommittedPart>(TaskCreationOptions.RunContinuationsAsynchronously);
        await queue.WaitForSlotAsync();
        queue.Add(first.Task);
        await queue.WaitForSlotAsync();
        queue.Add(second.Task);

        var third = queue.WaitForSlotAsync();
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(third.IsCompleted);

        second.SetResult(new CommittedPart(2, "b", 5));
        await third.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        queue.Add(Task.FromResult(new CommittedPart(3, "c", 5)));
        first.SetResult(new CommittedPart(1, "a", 5));

        Assert.Equal([1, 2, 3], (await queue.WhenAllAsync()).Select(p => p.Number));
    }

    [Fact]
    public async Task AFailedUploadFailsTheNextWait()
    {
        await using var queue = new PartUploadQueue(maxInFlight: 2);
        queue.Add(Task.FromException<CommittedPart>(new IOException("part 1 failed")));

        var error = await Assert.ThrowsAsync<IOException>(() => queue.WaitForSlotAsync());
        Assert.Equal("part 1 failed", error.Message);
    }

    [Fact]
    public async Task DisposingCancelsUploadsStillRunning()
    {
        var queue = new PartUploadQueue(maxInFlight: 2);
        var abandoned = queue.Abandoned;
        queue.Add(Task.Delay(Timeout.Infinite, abandoned).ContinueWith(_ => new CommittedPart(1, "a", 5), TaskScheduler.Default));

        await queue.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.True(abandoned.IsCancellationRequested);
    }

    [Fact]
    public void APartBufferStartsSmallAndGrowsOnlyToThePartSize()
    {
        using var buffer = new PartBuffer(5 * 1024 * 1024);
        Assert.True(buffer.FreeSpace().Length <= 128 * 1024);

        while (!buffer.IsFull)
        {
            buffer.Advance(buffer.FreeSpace().Length);
        }

        Assert.Equal(5 * 1024 * 1024, buffer.Length);
        Assert.Equal(0, buffer.FreeSpace().Length);
    }
}
