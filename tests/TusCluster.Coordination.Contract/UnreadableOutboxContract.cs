using System.Diagnostics.Metrics;
using TusCluster.Coordination.Outbox;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Contract;

/// <summary>
/// An outbox entry no reader can parse (a bug, a manual edit, a version skew) is a poison message unless it is set
/// aside: every backend moves or marks it where an operator finds its bytes, counts it once, and returns the
/// readable entries around it, this time and every time after.
/// </summary>
public abstract class UnreadableOutboxContract : CoordinationContract
{
    private static readonly DateTimeOffset Noon = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Stores, the backend's own way and next to the entries <paramref name="replica"/> sees, an entry with id
    /// <paramref name="entryId"/> due at <paramref name="dueAt"/> that is not a valid entry; returns the text stored.
    /// </summary>
    protected abstract Task<string> PlantUnreadableEntryAsync(IUploadCoordination replica, string entryId, DateTimeOffset dueAt);

    /// <summary>The text kept where the backend sets unreadable entries aside, or null when it has none for the id.</summary>
    protected abstract Task<string?> ReadSetAsideAsync(IUploadCoordination replica, string entryId);

    /// <summary>A replica that sees what was planted (a backend that reads its outbox only at start opens it again).</summary>
    protected virtual Task<IUploadCoordination> SeeingPlantedAsync(IUploadCoordination replica) => Task.FromResult(replica);

    private static IEventOutbox Outbox(IUploadCoordination replica) => OutboxContract.Outbox(replica);

    private static OutboxEntry Entry(string uploadId, DateTimeOffset dueAt) => OutboxContract.Entry(uploadId, dueAt);

    [Fact]
    public async Task An_unreadable_entry_is_set_aside_with_its_bytes_once_and_the_readable_ones_are_still_read()
    {
        using var counted = new SetAsideCount();
        var id = UploadId.New();
        var (before, after) = (Entry(id, Noon), Entry(id, Noon.AddSeconds(2)));
        var writer = Replica();
        await using (var lease = await writer.AcquireAsync(id, Generous, Ct))
        {
            await lease.CommitAsync(NewRecord(id), [before, after], Ct);
        }

        var poisonId = UploadId.New();
        var planted = await PlantUnreadableEntryAsync(writer, poisonId, Noon.AddSeconds(1));
        var reader = await SeeingPlantedAsync(Replica());

        Assert.Equal([before, after], await Outbox(reader).ReadDueEventsAsync(Noon.AddHours(1), 10, Ct));
        Assert.Equal(planted, await ReadSetAsideAsync(reader, poisonId));
        Assert.Equal(1, counted.Value);

        // Set aside for good: not read, not counted again; the readable entries are delivered (deleted) as usual.
        Assert.Equal([before, after], await Outbox(reader).ReadDueEventsAsync(Noon.AddHours(1), 10, Ct));
        await Outbox(reader).DeleteEventAsync(before, Ct);
        await Outbox(reader).PostponeEventAsync(after, Noon.AddMinutes(5), Ct);
        Assert.Equal([after with { DueAt = Noon.AddMinutes(5), Attempts = 1 }], await Outbox(reader).ReadDueEventsAsync(DateTimeOffset.MaxValue, 10, Ct));
        Assert.Equal(1, counted.Value);
        Assert.Equal(planted, await ReadSetAsideAsync(reader, poisonId));
    }

    [Fact]
    public async Task A_batch_of_only_unreadable_entries_lets_the_next_read_reach_the_readable_ones()
    {
        var id = UploadId.New();
        var readable = Entry(id, Noon.AddSeconds(5));
        var writer = Replica();
        await using (var lease = await writer.AcquireAsync(id, Generous, Ct))
        {
            await lease.CommitAsync(NewRecord(id), [readable], Ct);
        }

        var poison = new[] { UploadId.New(), UploadId.New() };
        foreach (var (poisonId, i) in poison.Select((p, i) => (p, i)))
        {
            await PlantUnreadableEntryAsync(writer, poisonId, Noon.AddSeconds(i));
        }

        var reader = await SeeingPlantedAsync(Replica());
        var first = await Outbox(reader).ReadDueEventsAsync(Noon.AddHours(1), 2, Ct);

        Assert.DoesNotContain(first, e => poison.Contains(e.Id));
        Assert.Equal([readable], await Outbox(reader).ReadDueEventsAsync(Noon.AddHours(1), 2, Ct));
        foreach (var poisonId in poison)
        {
            Assert.NotNull(await ReadSetAsideAsync(reader, poisonId));
        }
    }

    /// <summary>
    /// The growth of <c>tus.hooks.events.unreadable</c> (all backends) since it was made: the instrument is observed,
    /// its meter static, so it is read as totals and compared with the first.
    /// </summary>
    private sealed class SetAsideCount : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly long _baseline;
        private long _sum;

        public SetAsideCount()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == UnreadableOutboxEntries.MeterName && instrument.Name == UnreadableOutboxEntries.InstrumentName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => _sum += value);
            _listener.Start();
            _baseline = Total();
        }

        public long Value => Total() - _baseline;

        public void Dispose() => _listener.Dispose();

        private long Total()
        {
            lock (_listener)
            {
                _sum = 0;
                _listener.RecordObservableInstruments();
                return _sum;
            }
        }
    }
}
