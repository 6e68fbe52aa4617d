using System.Diagnostics;

namespace TusCluster.Testing;

/// <summary>
/// Waits for something the system does by itself (a lease expiring, a sweeper leading, a server recovering).
/// The deadline is time, never a count of attempts: a loaded CI machine makes each attempt slower, not fewer.
/// </summary>
public static class Eventually
{
    /// <summary>Long enough for a busy two-core machine; a test that passes waits only as long as it must.</summary>
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(20);

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? patience = null, Func<string>? details = null) =>
        HoldsAsync(() => ValueTask.FromResult(condition()), what, patience, details);

    /// <summary>Fails the test with <paramref name="what"/> (and <paramref name="details"/>) when the condition did not hold in time.</summary>
    public static async Task HoldsAsync(Func<ValueTask<bool>> condition, string what, TimeSpan? patience = null, Func<string>? details = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = patience ?? DefaultPatience;
        var elapsed = Stopwatch.StartNew();
        while (!await condition())
        {
            if (elapsed.Elapsed >= limit)
            {
                Assert.Fail($"Waited {limit.TotalSeconds:0.#} s for {what}." + (details is null ? string.Empty : "\n" + details()));
            }

            await Task.Delay(Pause, TestContext.Current.CancellationToken);
        }
    }
}
