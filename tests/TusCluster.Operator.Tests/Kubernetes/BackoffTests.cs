using TusCluster.Operator.Kubernetes;

namespace TusCluster.Operator.Tests.Kubernetes;

public sealed class BackoffTests
{
    [Fact]
    public void Doubles_per_attempt_up_to_the_cap_with_up_to_a_fifth_more_as_jitter()
    {
        var initial = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(10);
        Assert.Equal(TimeSpan.FromMilliseconds(100), Backoff.Delay(1, initial, max, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(800), Backoff.Delay(4, initial, max, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(960), Backoff.Delay(4, initial, max, 1));
        Assert.Equal(max, Backoff.Delay(60, initial, max, 0));
        Assert.Equal(TimeSpan.FromSeconds(12), Backoff.Delay(1000, initial, max, 1));
        Assert.NotEqual(Backoff.Delay(5, initial, max, 0.1), Backoff.Delay(5, initial, max, 0.9));
    }
}
