using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using StackExchange.Redis;
using TusCluster.Protocol.Coordination;
using TusCluster.Protocol.Uploads;

namespace TusCluster.Coordination.Redis.Tests;

/// <summary>How the settings reach Redis: authentication, TLS, database, configuration string, timeouts.</summary>
public sealed class RedisConnectionSettingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_password_protected_server_accepts_the_right_password()
    {
        await using var server = await RedisServer.StartAsync(password: "s3cret-pw");
        await using var coordination = Fixtures.Create(server, o => o.Password = "s3cret-pw");

        Assert.True(await coordination.IsHealthyAsync(Ct));
        await AssertRoundTripAsync(coordination);
    }

    [Fact]
    public async Task A_wrong_or_missing_password_is_unavailable_and_unhealthy()
    {
        await using var server = await RedisServer.StartAsync(password: "s3cret-pw");
        await using var wrong = Fixtures.Create(server, o => o.Password = "wrong");
        await using var none = Fixtures.Create(server);

        foreach (var coordination in new[] { wrong, none })
        {
            Assert.False(await coordination.IsHealthyAsync(Ct));
            await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.GetAsync(UploadId.New(), Ct));
        }
    }

    [Fact]
    public async Task An_acl_user_authenticates_with_user_and_password_and_is_held_to_its_key_pattern()
    {
        // The default user needs a password too: a failed AUTH leaves a connection as the default user.
        await using var server = await RedisServer.StartAsync(password: "admin-pw");
        await using (var admin = Fixtures.Create(server, o => o.Password = "admin-pw"))
        {
            await admin.Database.ExecuteAsync("ACL", "SETUSER", "uploader", "on", ">uploader-pw", "~tus:*", "allchannels", "+@all");
        }

        await using var user = Fixtures.Create(server, o => (o.User, o.Password) = ("uploader", "uploader-pw"));
        await AssertRoundTripAsync(user);
        var denied = await Assert.ThrowsAsync<RedisServerException>(() => user.Database.StringSetAsync("other:x", "1"));
        Assert.Contains("NOPERM", denied.Message, StringComparison.Ordinal);

        await using var wrong = Fixtures.Create(server, o => (o.User, o.Password) = ("uploader", "nope"));
        Assert.False(await wrong.IsHealthyAsync(Ct));
    }

    [Fact]
    public async Task The_configuration_string_carries_endpoints_user_password_and_database()
    {
        await using var server = await RedisServer.StartAsync(password: "cfg-pw");
        await using var coordination = Fixtures.Create(server, o =>
            (o.Endpoint, o.Configuration) = (null, $"127.0.0.1:{FreePort.Next()},{server.Endpoint},password=cfg-pw,defaultDatabase=5"));

        var id = await AssertRoundTripAsync(coordination);

        await using var db0 = Fixtures.Create(server, o => o.Password = "cfg-pw");
        Assert.Null(await db0.GetAsync(id, Ct));
        await using var db5 = Fixtures.Create(server, o => (o.Password, o.Database) = ("cfg-pw", 5));
        Assert.Equal(9, (await db5.GetAsync(id, Ct))?.Offset);
    }

    [Fact]
    public async Task Tls_connections_work_and_an_untrusted_certificate_is_refused()
    {
        await using var server = await RedisServer.StartAsync(password: "tls-pw", tls: true);
        await using var trusting = Fixtures.Create(server, o =>
        {
            o.UseTls = true;
            o.Password = "tls-pw";
            o.RemoteCertificateValidation = (_, certificate, _, _) =>
                certificate is X509Certificate2 c && c.GetCertHashString(HashAlgorithmName.SHA256) == server.CertificateThumbprint;
        });
        await AssertRoundTripAsync(trusting);

        // The self-signed certificate is not in the system trust store.
        await using var strict = Fixtures.Create(server, o => (o.UseTls, o.Password) = (true, "tls-pw"));
        Assert.False(await strict.IsHealthyAsync(Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await strict.GetAsync(UploadId.New(), Ct));
    }

    [Fact]
    public async Task A_server_that_does_not_answer_fails_within_the_timeouts()
    {
        // A listener that accepts and never answers, like a wedged server.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var endpoint = $"127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}";
        await using var coordination = new RedisUploadCoordination(
            Microsoft.Extensions.Options.Options.Create(new RedisCoordinationOptions
            {
                Endpoint = endpoint,
                CommandTimeout = TimeSpan.FromMilliseconds(300),
                ConnectTimeout = TimeSpan.FromMilliseconds(300),
            }),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisUploadCoordination>.Instance);
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.GetAsync(UploadId.New(), Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.AcquireAsync(UploadId.New(), Fixtures.Generous, Ct));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task With_no_sentinel_reachable_the_coordination_starts_unhealthy_and_fails_fast()
    {
        var options = new RedisCoordinationOptions
        {
            Configuration = $"127.0.0.1:{FreePort.Next()},serviceName=nobody",
            ConnectTimeout = TimeSpan.FromMilliseconds(300),
            CommandTimeout = TimeSpan.FromMilliseconds(300),
        };
        await using var coordination = new RedisUploadCoordination(
            Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<RedisUploadCoordination>.Instance);
        var watch = Stopwatch.StartNew();

        Assert.False(await coordination.IsHealthyAsync(Ct));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(async () => await coordination.AcquireAsync(UploadId.New(), Fixtures.Generous, Ct));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Scripts_are_loaded_again_after_a_script_flush()
    {
        await using var server = await RedisServer.StartAsync();
        await using var coordination = Fixtures.Create(server, o => (o.Endpoint, o.Configuration) = (null, server.Endpoint + ",allowAdmin=true"));
        await AssertRoundTripAsync(coordination);
        var loaded = await coordination.Database.ExecuteAsync("SCRIPT", "EXISTS", Sha1(RedisScripts.Acquire));
        Assert.Equal([1L], (long[])loaded!);

        await coordination.Database.ExecuteAsync("SCRIPT", "FLUSH");
        await AssertRoundTripAsync(coordination);

        var reloaded = await coordination.Database.ExecuteAsync("SCRIPT", "EXISTS", Sha1(RedisScripts.Acquire), Sha1(RedisScripts.Commit));
        Assert.Equal([1L, 1L], (long[])reloaded!);
    }

    private static async Task<string> AssertRoundTripAsync(RedisUploadCoordination coordination)
    {
        var id = UploadId.New();
        await using (var lease = await coordination.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await lease.CommitAsync(Fixtures.NewRecord(id, offset: 9), Ct);
        }

        Assert.Equal(9, (await coordination.GetAsync(id, Ct))?.Offset);
        return id;
    }

#pragma warning disable CA5350 // SHA1 is what Redis names scripts by.
    private static string Sha1(string script) => Convert.ToHexStringLower(SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(script)));
#pragma warning restore CA5350
}
