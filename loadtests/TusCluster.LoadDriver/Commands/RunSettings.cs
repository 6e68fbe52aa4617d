using TusCluster.LoadDriver.Scenarios;

namespace TusCluster.LoadDriver.Commands;

/// <summary>One validated run: what to run, against which endpoints, for how long, and what must hold.</summary>
internal sealed record RunSettings
{
    public required string Scenario { get; init; }

    /// <summary>The tus creation endpoints (e.g. http://host:8080/files/), one per replica or balancer.</summary>
    public required IReadOnlyList<Uri> Urls { get; init; }

    public bool RandomEndpoint { get; init; }

    public int Vus { get; init; } = 1;

    /// <summary>Stop starting uploads after this long; null when only <see cref="Iterations"/> bounds the run.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>Total iterations across all virtual users; null when only <see cref="Duration"/> bounds the run.</summary>
    public long? Iterations { get; init; }

    public required SizeRange Sizes { get; init; }

    public long ChunkSize { get; init; } = 1 << 20;

    /// <summary>Partial uploads per final upload (concatenation).</summary>
    public int Parts { get; init; } = 4;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Retries of a failed request (tus-js-client's retryDelays by default).</summary>
    public RetryPolicy Retry { get; init; } = new();

    public string? JsonPath { get; init; }

    public bool Quiet { get; init; }

    /// <summary>Terminate each upload after it was verified, so long runs do not fill the server's disk.</summary>
    public bool Delete { get; init; } = true;

    public ulong Seed { get; init; }

    public double? MaxErrorRate { get; init; }

    public double? MaxP95PatchMs { get; init; }

    public double? MaxP95CreateMs { get; init; }
}
