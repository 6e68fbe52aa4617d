using Microsoft.Extensions.Configuration;
using TusCluster.Backends;
using TusCluster.Sweeper.Hosting;

namespace TusCluster.Sweeping.Tests;

/// <summary>Start-up validation of Tus:Sweeper and where the sweeper runs by default.</summary>
public sealed class SweeperConfigurationTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        var options = new SweeperOptions();

        Assert.True(new SweeperOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Interval);
        Assert.Equal(500, options.BatchSize);
        Assert.Equal(100, options.MaxDeletionsPerSecond);
        Assert.Null(options.FinishedRetention);
        Assert.Null(options.OrphanGracePeriod);
    }

    [Fact]
    public void Every_bad_value_is_named()
    {
        var options = new SweeperOptions
        {
            Interval = TimeSpan.Zero,
            BatchSize = 0,
            MaxDeletionsPerSecond = -1,
            FinishedRetention = TimeSpan.FromSeconds(-1),
            OrphanGracePeriod = TimeSpan.FromSeconds(10),
        };

        var failures = new SweeperOptionsValidator().Validate(null, options).Failures!.ToList();

        Assert.Equal(5, failures.Count);
        foreach (var key in new[] { "Interval", "BatchSize", "MaxDeletionsPerSecond", "FinishedRetention", "OrphanGracePeriod" })
        {
            Assert.Contains(failures, f => f.StartsWith($"Tus:Sweeper:{key} ", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(null, null, true)]
    [InlineData("Embedded", null, true)]
    [InlineData("embedded", "false", false)]
    [InlineData("Redis", null, false)]
    [InlineData("Etcd", null, false)]
    [InlineData("DynamoDb", "true", true)]
    public void The_upload_service_sweeps_in_process_by_default_only_with_embedded_coordination(string? provider, string? enabled, bool expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tus:Coordination:Provider"] = provider,
            ["Tus:Sweeper:Enabled"] = enabled,
        }).Build();

        Assert.Equal(expected, SweeperOptions.RunsInUploadService(configuration));
    }

    [Fact]
    public void The_sweeper_host_refuses_embedded_coordination_whose_locks_live_in_another_process()
    {
        var error = Assert.Throws<ConfigurationException>(() => SweeperHost.Build(["--Tus:Coordination:Provider=Embedded"]));

        Assert.Contains("needs a shared backend: Etcd, Redis, DynamoDb, PostgreSql, S3.", StartupError.Describe(error), StringComparison.Ordinal);
    }

    [Fact]
    public void The_sweeper_host_reports_every_bad_sweeper_setting_at_start()
    {
        var error = Assert.ThrowsAny<Exception>(() => SweeperHost.Build(
            ["--Tus:Coordination:Provider=Redis", "--Tus:Sweeper:BatchSize=0", "--Tus:Sweeper:Interval=00:00:00", "--urls=http://127.0.0.1:0"]));

        var message = StartupError.Describe(error);
        Assert.NotNull(message);
        Assert.Contains("Tus:Sweeper:BatchSize", message, StringComparison.Ordinal);
        Assert.Contains("Tus:Sweeper:Interval", message, StringComparison.Ordinal);
    }
}
