using System.Net.Http.Headers;
using TusCluster.LoadDriver.Scenarios;

namespace TusCluster.LoadDriver.Tests.Scenarios;

public sealed class RetryPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Without_Retry_After_the_delays_are_tus_js_clients()
    {
        var policy = new RetryPolicy();

        Assert.Equal([0, 1000, 3000, 5000], Enumerable.Range(0, 4).Select(i => policy.DelayBefore(i, null, Now).TotalMilliseconds));
    }

    [Fact]
    public void Retry_After_in_seconds_wins_only_where_it_is_longer_than_the_delay()
    {
        var policy = new RetryPolicy();
        var twoSeconds = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2));

        Assert.Equal(TimeSpan.FromSeconds(2), policy.DelayBefore(0, twoSeconds, Now));
        Assert.Equal(TimeSpan.FromSeconds(3), policy.DelayBefore(2, twoSeconds, Now));
    }

    [Fact]
    public void Retry_After_as_an_HTTP_date_is_the_time_until_then_and_a_past_date_asks_for_nothing()
    {
        var policy = new RetryPolicy();

        Assert.Equal(TimeSpan.FromSeconds(7), policy.DelayBefore(0, RetryConditionHeaderValue.Parse(Now.AddSeconds(7).ToString("R")), Now));
        Assert.Equal(TimeSpan.FromSeconds(1), policy.DelayBefore(1, RetryConditionHeaderValue.Parse(Now.AddMinutes(-1).ToString("R")), Now));
    }

    [Fact]
    public void Retry_After_beyond_the_cap_is_cut_to_the_cap()
    {
        var policy = new RetryPolicy { MaxRetryAfter = TimeSpan.FromSeconds(10) };

        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayBefore(0, new RetryConditionHeaderValue(TimeSpan.FromHours(1)), Now));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.DelayBefore(0, RetryConditionHeaderValue.Parse(Now.AddDays(1).ToString("R")), Now));
    }
}
