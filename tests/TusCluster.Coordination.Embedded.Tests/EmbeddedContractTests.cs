using TusCluster.Coordination.Contract;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Embedded.Tests;

/// <summary>In-process locks exist once per process, so every "replica" of a test is the same instance.</summary>
public sealed class EmbeddedUploadLeaseContractTests : UploadLeaseContract
{
    private readonly TemporaryDirectory _directory = new();
    private EmbeddedUploadCoordination? _coordination;

    protected override IUploadCoordination CreateReplica(string isolation) => _coordination ??= CoordinationFixture.Create(_directory.Path);

    protected override ValueTask DisposeBackendAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class EmbeddedExpiryIndexContractTests : ExpiryIndexContract
{
    private readonly TemporaryDirectory _directory = new();
    private EmbeddedUploadCoordination? _coordination;

    protected override IUploadCoordination CreateReplica(string isolation) => _coordination ??= CoordinationFixture.Create(_directory.Path);

    protected override ValueTask DisposeBackendAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class EmbeddedOutboxContractTests : OutboxContract
{
    private readonly TemporaryDirectory _directory = new();
    private EmbeddedUploadCoordination? _coordination;

    protected override IUploadCoordination CreateReplica(string isolation) => _coordination ??= CoordinationFixture.Create(_directory.Path);

    protected override ValueTask DisposeBackendAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The embedded outbox reads its files only at start: a planted file is seen by the coordination opened after it.</summary>
[Collection(UnreadableOutboxCollection.Name)]
public sealed class EmbeddedUnreadableOutboxContractTests : UnreadableOutboxContract
{
    private readonly TemporaryDirectory _directory = new();
    private EmbeddedUploadCoordination? _coordination;

    protected override IUploadCoordination CreateReplica(string isolation) => _coordination ??= CoordinationFixture.Create(_directory.Path);

    protected override async Task<string> PlantUnreadableEntryAsync(IUploadCoordination replica, string entryId, DateTimeOffset dueAt)
    {
        var text = $$"""{"Id":"{{entryId}}","DueAt":"{{dueAt:O}}","Attempts":-1,""";
        await File.WriteAllTextAsync(Path.Combine(_directory.Path, "outbox", $"{entryId}.1.event"), text, Ct);
        return text;
    }

    protected override async Task<string?> ReadSetAsideAsync(IUploadCoordination replica, string entryId)
    {
        var path = Path.Combine(_directory.Path, "outbox", "unreadable", $"{entryId}.1.event");
        return File.Exists(path) ? await File.ReadAllTextAsync(path, Ct) : null;
    }

    protected override Task<IUploadCoordination> SeeingPlantedAsync(IUploadCoordination replica)
    {
        _coordination = CoordinationFixture.Create(_directory.Path);
        return Task.FromResult<IUploadCoordination>(_coordination);
    }

    protected override ValueTask DisposeBackendAsync()
    {
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
