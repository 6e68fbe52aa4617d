namespace TusCluster.Operator.Tests;

/// <summary>Polls a condition until it holds; fails with the description after the timeout.</summary>
internal static class Eventually
{
    public static async Task HoldsAsync(Func<bool> condition, string description, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"Timed out waiting until {description}.");
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }
}
