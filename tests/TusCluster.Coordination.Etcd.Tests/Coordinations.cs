using TusCluster.Coordination.Contract;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Tests;

/// <summary>Builds coordination instances ("replicas") and records for the tests.</summary>
internal static class Coordinations
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static string NewPrefix() => $"/tus-test-{Guid.NewGuid():N}/";

    public static EtcdUploadCoordination Create(
        string prefix,
        string[] endpoints,
        TimeSpan? leaseTtl = null,
        TimeSpan? requestTimeout = null,
        string? username = null,
        string? password = null)
    {
        var options = new EtcdCoordinationOptions
        {
            KeyPrefix = prefix,
            LeaseTtl = leaseTtl ?? TimeSpan.FromSeconds(5),
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
            Username = username,
            Password = password,
        };
        foreach (var endpoint in endpoints)
        {
            options.Endpoints.Add(endpoint);
        }

        return new EtcdUploadCoordination(Options.Create(options));
    }

    public static UploadRecord NewRecord(string id, long offset = 0, DateTimeOffset? expiresAt = null) => TestRecords.New(id, offset, expiresAt);

    public static void AssertSameRecord(UploadRecord expected, UploadRecord? actual) => TestRecords.AssertSame(expected, actual);

    /// <summary>Waits until <paramref name="token"/> is cancelled, failing after <paramref name="within"/>.</summary>
    public static async Task SignalledAsync(CancellationToken token, TimeSpan within, string what)
    {
        var signalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = token.Register(() => signalled.TrySetResult());
        try
        {
            await signalled.Task.WaitAsync(within, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what} was not signalled within {within}.");
        }
    }
}
