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
