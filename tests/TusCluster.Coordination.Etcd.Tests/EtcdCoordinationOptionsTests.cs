using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Coordination;

namespace TusCluster.Coordination.Etcd.Tests;

public sealed class EtcdCoordinationOptionsTests
{
    [Fact]
    public async Task Defaults_apply_when_nothing_is_configured()
    {
        await using var provider = Build([]);

        var options = provider.GetRequiredService<IOptions<EtcdCoordinationOptions>>().Value;

        Assert.Equal(["http://127.0.0.1:2379"], options.EffectiveEndpoints);
        Assert.Equal("/tus/", options.KeyPrefix);
        Assert.Equal(TimeSpan.FromSeconds(5), options.LeaseTtl);
        Assert.IsType<EtcdUploadCoordination>(provider.GetRequiredService<IUploadCoordination>());
    }

    [Fact]
    public void Settings_are_bound_from_the_section()
    {
        using var provider = Build(new()
        {
            ["Tus:Coordination:Etcd:Endpoints:0"] = "http://10.0.0.1:2379",
            ["Tus:Coordination:Etcd:Endpoints:1"] = "https://10.0.0.2:2379",
            ["Tus:Coordination:Etcd:Username"] = "tus",
            ["Tus:Coordination:Etcd:Password"] = "pw",
            ["Tus:Coordination:Etcd:KeyPrefix"] = "/prod/tus/",
            ["Tus:Coordination:Etcd:LeaseTtl"] = "00:00:10",
            ["Tus:Coordination:Etcd:RequestTimeout"] = "00:00:03",
        });

        var options = provider.GetRequiredService<IOptions<EtcdCoordinationOptions>>().Value;

        Assert.Equal(["http://10.0.0.1:2379", "https://10.0.0.2:2379"], options.EffectiveEndpoints);
        Assert.Equal(("tus", "pw", "/prod/tus/"), (options.Username, options.Password, options.KeyPrefix));
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(3)), (options.LeaseTtl, options.RequestTimeout));
    }

    [Theory]
    [InlineData("Endpoints:0", "not a url", "Tus:Coordination:Etcd:Endpoints")]
    [InlineData("Endpoints:0", "ftp://127.0.0.1:2379", "Tus:Coordination:Etcd:Endpoints")]
    [InlineData("Endpoints:0", "http://127.0.0.1:2379/v3", "Tus:Coordination:Etcd:Endpoints")]
    [InlineData("KeyPrefix", "/tus", "Tus:Coordination:Etcd:KeyPrefix")]
    [InlineData("LeaseTtl", "00:00:01", "Tus:Coordination:Etcd:LeaseTtl")]
    [InlineData("LeaseTtl", "00:00:02.500", "Tus:Coordination:Etcd:LeaseTtl")]
    [InlineData("RequestTimeout", "00:00:00", "Tus:Coordination:Etcd:RequestTimeout")]
    [InlineData("Password", "pw", "Tus:Coordination:Etcd:Password")]
    [InlineData("Username", "tus", "Tus:Coordination:Etcd:Username is set without")]
    public void Invalid_settings_fail_at_start_naming_the_setting(string key, string value, string named)
    {
        using var provider = Build(new() { ["Tus:Coordination:Etcd:" + key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EtcdCoordinationOptions>>().Value);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddEtcdCoordination(configuration).BuildServiceProvider();
    }
}
