using System.Diagnostics;
using System.Globalization;
using TusCluster.Coordination.Redis.Resp;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Redis.Tests;

public sealed class RedisConnectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Many_pipelined_commands_get_their_own_replies()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await RedisConnection.ConnectAsync(Fixtures.Options(server, o => o.CommandTimeout = TimeSpan.FromSeconds(5)), null, Ct);

        // All commands are written before the first reply is awaited.
        var replies = Enumerable.Range(0, 5000)
            .Select(i => connection.ExecuteAsync(["ECHO", i.ToString(CultureInfo.InvariantCulture)], Ct))
            .ToArray();
        var values = await Task.WhenAll(replies);

        Assert.Equal(Enumerable.Range(0, 5000).Select(i => i.ToString(CultureInfo.InvariantCulture)), values.Select(v => v.AsString()));
    }

    [Fact]
    public async Task Concurrent_callers_on_the_pool_see_consistent_replies()
    {
        await using var server = await RedisServer.StartAsync();
        await using var client = new RedisClient(Fixtures.Options(server, o => o.PoolSize = 3));
        var key = "counter-" + Guid.NewGuid().ToString("N");

        var increments = await Task.WhenAll(Enumerable.Range(0, 2000).Select(_ => client.CommandAsync(["INCR", key], Ct)));

        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (long)i), increments.Select(r => r.Integer).Order());
    }

    [Fact]
    public async Task An_error_reply_is_returned_without_breaking_the_connection()
    {
        await using var server = await RedisServer.StartAsync();
        await using var connection = await RedisConnection.ConnectAsync(Fixtures.Options(server), null, Ct);

        var error = await connection.ExecuteAsync(["NOSUCHCOMMAND"], Ct);
        var pong = await connection.ExecuteAsync(["PING"], Ct);

        Assert.True(error.IsError);
        Assert.StartsWith("ERR", error.Text, StringComparison.Ordinal);
        Assert.Equal("PONG", pong.AsString());
        Assert.False(connection.IsBroken);
    }

    [Fact]
    public async Task Scripts_run_by_digest_and_are_loaded_again_after_a_script_flush()
    {
        await using var server = await RedisServer.StartAsync();
        await using var client = new RedisClient(Fixtures.Options(server));
        var script = new RedisScript("return {KEYS[1], ARGV[1]}");

        var first = await client.EvalAsync(script, ["k"], ["v"], Ct);
        await client.CommandAsync(["SCRIPT", "FLUSH"], Ct);
        var second = await client.EvalAsync(script, ["k2"], ["v2"], Ct);

        Assert.Equal(["k", "v"], first.Elements!.Select(e => e.AsString()));
        Assert.Equal(["k2", "v2"], second.Elements!.Select(e => e.AsString()));
        var exists = await client.CommandAsync(["SCRIPT", "EXISTS", script.Sha1], Ct);
        Assert.Equal(1, exists.Elements![0].Integer);
    }

    [Fact]
    public async Task The_pool_reconnects_after_the_server_is_restarted_on_the_same_port()
    {
        await using var server = await RedisServer.StartAsync();
        await using var client = new RedisClient(Fixtures.Options(server, o => o.PoolSize = 2));
        await client.CommandAsync(["SET", "before", "1"], Ct);

        await server.RestartAsync();

        // The first use of each pooled connection may find it broken; it is replaced on the next draw.
        RespValue? reply = null;
        for (var attempt = 0; attempt < 5 && reply is null; attempt++)
        {
            try
            {
                reply = await client.CommandAsync(["SET", "after", "2"], Ct);
            }
            catch (CoordinationUnavailableException)
            {
            }
        }

        Assert.Equal("OK", reply?.AsString());
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal("2", (await client.CommandAsync(["GET", "after"], Ct)).AsString());
        }

        // Reads are retried on a broken connection by themselves.
        await server.RestartAsync();
        Assert.Equal("PONG", (await client.ReadAsync(["PING"], Ct)).AsString());
    }

    [Fact]
    public async Task A_password_protected_server_accepts_the_right_password()
    {
        await using var server = await RedisServer.StartAsync(password: "s3cret-pw");
        await using var client = new RedisClient(Fixtures.Options(server, o => o.Password = "s3cret-pw"));

        Assert.Equal("PONG", (await client.CommandAsync(["PING"], Ct)).AsString());
    }

    [Fact]
    public async Task A_wrong_password_fails_clearly()
    {
        await using var server = await RedisServer.StartAsync(password: "s3cret-pw");
        await using var client = new RedisClient(Fixtures.Options(server, o => o.Password = "wrong"));

        var error = await Assert.ThrowsAsync<CoordinationUnavailableException>(() => client.CommandAsync(["PING"], Ct));

        Assert.Contains("refused authentication", error.Message, StringComparison.Ordinal);
        Assert.Contains("Tus:Coordination:Redis:Password", error.Message, StringComparison.Ordinal);
        Assert.IsType<RedisErrorException>(error.InnerException);
    }

    [Fact]
    public async Task An_acl_user_authenticates_with_user_and_password()
    {
        await using var server = await RedisServer.StartAsync();
        await using (var admin = new RedisClient(Fixtures.Options(server)))
        {
            await admin.CommandAsync(["ACL", "SETUSER", "uploader", "on", ">uploader-pw", "~tus:*", "+@all"], Ct);
        }

        await using var client = new RedisClient(Fixtures.Options(server, o => (o.User, o.Password) = ("uploader", "uploader-pw")));
        Assert.Equal("OK", (await client.CommandAsync(["SET", "tus:x", "1"], Ct)).AsString());
        var denied = await Assert.ThrowsAsync<CoordinationUnavailableException>(() => client.CommandAsync(["SET", "other:x", "1"], Ct));
        Assert.Contains("NOPERM", denied.Message, StringComparison.Ordinal);

        await using var wrong = new RedisClient(Fixtures.Options(server, o => (o.User, o.Password) = ("uploader", "nope")));
        var error = await Assert.ThrowsAsync<CoordinationUnavailableException>(() => wrong.CommandAsync(["PING"], Ct));
        Assert.Contains("WRONGPASS", error.Message, StringComparison.Ordinal);
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
                certificate is System.Security.Cryptography.X509Certificates.X509Certificate2 c
                && c.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256) == server.CertificateThumbprint;
        });
        var id = TusCluster.Protocol.Uploads.UploadId.New();
        await using (var lease = await trusting.AcquireAsync(id, Fixtures.Generous, Ct))
        {
            await lease.CommitAsync(Fixtures.NewRecord(id, offset: 9), Ct);
        }

        Assert.Equal(9, (await trusting.GetAsync(id, Ct))?.Offset);

        // The self-signed certificate is not in the system trust store.
        await using var strict = new RedisClient(Fixtures.Options(server, o => (o.UseTls, o.Password) = (true, "tls-pw")));
        await Assert.ThrowsAsync<CoordinationUnavailableException>(() => strict.CommandAsync(["PING"], Ct));
    }

    [Fact]
    public async Task No_password_on_a_protected_server_fails_with_its_error()
    {
        await using var server = await RedisServer.StartAsync(password: "s3cret-pw");
        await using var client = new RedisClient(Fixtures.Options(server));

        var error = await Assert.ThrowsAsync<CoordinationUnavailableException>(() => client.CommandAsync(["GET", "x"], Ct));

        Assert.Contains("NOAUTH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_does_not_answer_times_out_after_the_command_timeout()
    {
        // A listener that accepts and never answers, like a wedged server.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var endpoint = $"127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}";
        var options = new RedisCoordinationOptions { Endpoint = endpoint, CommandTimeout = TimeSpan.FromMilliseconds(300), ConnectTimeout = TimeSpan.FromMilliseconds(300) };
        await using var client = new RedisClient(options);
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAsync<CoordinationUnavailableException>(() => client.CommandAsync(["PING"], Ct));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_database_other_than_zero_is_selected()
    {
        await using var server = await RedisServer.StartAsync();
        await using (var db3 = new RedisClient(Fixtures.Options(server, o => o.Database = 3)))
        {
            await db3.CommandAsync(["SET", "only-in-3", "x"], Ct);
        }

        await using var db0 = new RedisClient(Fixtures.Options(server));
        Assert.True((await db0.CommandAsync(["GET", "only-in-3"], Ct)).IsNull);
        await using var again = new RedisClient(Fixtures.Options(server, o => o.Database = 3));
        Assert.Equal("x", (await again.CommandAsync(["GET", "only-in-3"], Ct)).AsString());
    }
}
