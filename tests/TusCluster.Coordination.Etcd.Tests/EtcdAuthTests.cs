using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Etcd.Tests;

/// <summary>Runs its own etcd with a root user and auth enabled; simple tokens live 1 s there.</summary>
public sealed class EtcdAuthTests : IAsyncLifetime
{
    private const string Password = "s3cret-for-tests";

    private EtcdServer? _server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private EtcdServer Server => _server!;

    public async ValueTask InitializeAsync()
    {
        _server = await EtcdServer.StartAsync("--auth-token", "simple", "--auth-token-ttl", "1");
        await Server.PostAsync("/v3/auth/user/add", $$"""{"name":"root","password":"{{Password}}"}""");
        await Server.PostAsync("/v3/auth/user/grant", """{"user":"root","role":"root"}""");
        await Server.PostAsync("/v3/auth/enable", "{}");
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_credentials_everything_works_and_an_expired_token_is_renewed()
    {
        await using var coordination = Coordinations.Create(Coordinations.NewPrefix(), [Server.Endpoint], username: "root", password: Password);
        var id = UploadId.New();
        await using (var lease = await coordination.AcquireAsync(id, Coordinations.Generous, Ct))
        {
            await lease.CommitAsync(Coordinations.NewRecord(id, offset: 3, expiresAt: DateTimeOffset.UnixEpoch), Ct);
        }

        // The token expires after 1 s of disuse (--auth-token-ttl 1): the client authenticates again.
        var before = coordination.Client.Authentications;
        await Task.Delay(TimeSpan.FromSeconds(2.5), Ct);

        Assert.Equal(3, (await coordination.GetAsync(id, Ct))?.Offset);
        Assert.Equal([id], (await coordination.ReadExpiredAsync(DateTimeOffset.UnixEpoch, 10, Ct)).Select(e => e.UploadId));
        await using var again = await coordination.AcquireAsync(id, Coordinations.Generous, Ct);
        await again.CommitAsync(again.Record! with { Offset = 4 }, Ct);
        Assert.True(await coordination.IsHealthyAsync(Ct));
        Assert.True(coordination.Client.Authentications > before, "the expired token was not replaced");
    }

    [Fact]
    public async Task A_hand_over_reaches_a_holder_through_an_authenticated_watch()
    {
        var prefix = Coordinations.NewPrefix();
        await using var first = Coordinations.Create(prefix, [Server.Endpoint], username: "root", password: Password);
        await using var second = Coordinations.Create(prefix, [Server.Endpoint], username: "root", password: Password);
        var id = UploadId.New();
        var holder = await first.AcquireAsync(id, Coordinations.Generous, Ct);

        var newcomer = second.AcquireAsync(id, TimeSpan.FromSeconds(10), Ct).AsTask();

        await Coordinations.SignalledAsync(holder.HandOverRequested, TimeSpan.FromSeconds(5), "the hand-over request");
        await holder.DisposeAsync();
        await using var next = await newcomer.WaitAsync(Coordinations.Generous, Ct);
    }

    [Fact]
    public async Task A_wrong_password_or_none_is_coordination_unavailable()
    {
        await using var wrong = Coordinations.Create(Coordinations.NewPrefix(), [Server.Endpoint], username: "root", password: "wrong");
        await using var anonymous = Coordinations.Create(Coordinations.NewPrefix(), [Server.Endpoint]);

        var refused = await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await wrong.GetAsync(UploadId.New(), Ct));
        Assert.Contains("authenticate", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await anonymous.GetAsync(UploadId.New(), Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await anonymous.AcquireAsync(UploadId.New(), Coordinations.Generous, Ct));
    }
}
