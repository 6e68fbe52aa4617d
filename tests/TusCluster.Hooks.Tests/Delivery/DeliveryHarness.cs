using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Coordination.Embedded;
using TusCluster.Hooks.Delivery;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Events;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Hooks.Tests.Delivery;

/// <summary>The hooks' delivery side over a real (embedded) outbox, with scripted sinks and a fast-forward clock.</summary>
internal sealed class DeliveryHarness : IAsyncDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public DeliveryHarness(IEnumerable<IHookSink> sinks, Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Tus:Coordination:Embedded:Directory"] = _directory.Path,
            ["Tus:Hooks:RedeliveryDelay"] = "00:00:30",
            ["Tus:Hooks:GiveUpAfter"] = "01:00:00",
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection().AddLogging().AddMetrics();
        services.AddEmbeddedCoordination(configuration);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddTusHooks(configuration);
        foreach (var sink in sinks)
        {
            services.AddSingleton(sink);
        }

        Services = services.BuildServiceProvider();
    }

    public FastForwardTimeProvider Clock { get; } = new();

    public ServiceProvider Services { get; }

    public IEventOutbox Outbox => Services.GetRequiredService<IEventOutbox>();

    public EventDelivery Delivery => Services.GetRequiredService<EventDelivery>();

    /// <summary>What start-up validation says (the validators run on defaults here: the sinks are what is checked).</summary>
    public ValidateOptionsResult Validation =>
        Services.GetServices<IValidateOptions<HooksOptions>>().Select(v => v.Validate(null, new HooksOptions()))
            .FirstOrDefault(r => r.Failed) ?? ValidateOptionsResult.Success;

    /// <summary>Commits a record with one event of <paramref name="type"/>, as the engine does; returns its outbox entry.</summary>
    public async Task<OutboxEntry> CommitEventAsync(UploadEventType type)
    {
        var id = UploadId.New();
        var uploadEvent = new UploadEvent
        {
            Id = UploadId.New(),
            Type = type,
            Replica = "replica-0",
            OccurredAt = Clock.GetUtcNow(),
            Upload = new UploadSnapshot { Id = id, Size = 3, Offset = 3 },
            HttpRequest = new RequestSnapshot { Method = "PATCH", Uri = "/files/" + id, RemoteAddr = "127.0.0.1:1" },
        };
        var entry = new OutboxEntry { Id = uploadEvent.Id, UploadId = id, DueAt = uploadEvent.OccurredAt.AddSeconds(30), Payload = UploadEventJson.Serialize(uploadEvent) };
        var coordination = Services.GetRequiredService<IUploadCoordination>();
        await using var lease = await coordination.AcquireAsync(id, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        await lease.CommitAsync(new UploadRecord { Id = id, Length = 3, Offset = 3, Status = UploadStatus.Finished }, [entry], TestContext.Current.CancellationToken);
        return entry;
    }

    public async Task<IReadOnlyList<OutboxEntry>> StoredAsync() =>
        await Outbox.ReadDueEventsAsync(DateTimeOffset.MaxValue, 1000, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        _directory.Dispose();
    }
}
