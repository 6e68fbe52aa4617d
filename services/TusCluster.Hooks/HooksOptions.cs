namespace TusCluster.Hooks;

/// <summary>Settings shared by every hook transport; bound from <c>Tus:Hooks</c>. Each transport has its own subsection.</summary>
public sealed class HooksOptions
{
    public const string SectionName = "Tus:Hooks";

    /// <summary>Request headers copied into events (e.g. Authorization, Cookie). Stored in the outbox with post-* events.</summary>
    public string[] ForwardHeaders { get; set; } = [];

    /// <summary>The least time between two post-receive events of one upload (the last chunk always reports).</summary>
    public TimeSpan PostReceiveInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long after its commit an undelivered post-* event is redelivered by the delivery leader.</summary>
    public TimeSpan RedeliveryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the delivery leader looks for due events.</summary>
    public TimeSpan RedeliveryPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most due events the leader reads per look.</summary>
    public int RedeliveryBatchSize { get; set; } = 100;

    /// <summary>Longest pause between two redeliveries of one event (the pause doubles per failure up to this).</summary>
    public TimeSpan MaxRedeliveryBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An event still undelivered this long after it happened is dropped (logged as an error and counted).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Events delivered at once per replica (right after commit, and by the leader).</summary>
    public int DeliveryConcurrency { get; set; } = 8;

    /// <summary>Committed events waiting for immediate delivery per replica; beyond it they wait for redelivery.</summary>
    public int DeliveryQueueCapacity { get; set; } = 10_000;
}
