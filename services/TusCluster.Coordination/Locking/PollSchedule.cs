namespace TusCluster.Coordination;

/// <summary>
/// How long a waiting acquirer waits before it looks again, on a backend that cannot tell it of a release on
/// another replica (DynamoDB, S3 conditional writes). The holder's replica sees a hand-over request at its next
/// poll and releases: for that long (<c>fastFor</c>, about two of its poll intervals) the waiter looks every
/// <see cref="Fastest"/>, so it learns of the release within a few milliseconds instead of a whole interval.
/// A holder that takes longer (a slow commit, a dead replica whose lease must expire) is looked at less and
/// less often, each wait as long as the time waited past the window, up to <c>slowest</c>. Only waiters look
/// fast, and only in that window: replicas that hold leases or nothing at all send nothing more.
/// </summary>
public sealed class PollSchedule
{
    /// <summary>The shortest wait: a round trip or two of a cloud key-value store, so a few looks per hand-over.</summary>
    public static readonly TimeSpan Fastest = TimeSpan.FromMilliseconds(10);

    private readonly TimeSpan _fastFor;
    private readonly TimeSpan _slowest;

    public PollSchedule(TimeSpan fastFor, TimeSpan slowest)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fastFor, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(slowest, Fastest);
        _fastFor = fastFor;
        _slowest = slowest;
    }

    /// <summary>A waiter's schedule against holders that poll their hand-over requests every <paramref name="holderPoll"/>.</summary>
    public static PollSchedule ForHolderPolling(TimeSpan holderPoll, TimeSpan slowest) => new(holderPoll * 2, slowest);

    /// <summary>The wait before the next look, for a waiter that has waited <paramref name="waited"/> so far.</summary>
    public TimeSpan Next(TimeSpan waited)
    {
        if (waited < _fastFor)
        {
            return Fastest;
        }

        var past = waited - _fastFor;
        return past < Fastest ? Fastest : past > _slowest ? _slowest : past;
    }
}
