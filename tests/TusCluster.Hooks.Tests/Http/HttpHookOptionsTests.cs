using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Http;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Http;

public sealed class HttpHookOptionsTests
{
    [Fact]
    public void Without_a_url_there_is_no_http_sink()
    {
        using var provider = Build(new() { ["Tus:Hooks:Http:Retries"] = "-5" });

        Assert.Empty(provider.GetServices<IHookSink>());
        Assert.Null(provider.GetService<IOptions<HttpHookOptions>>()?.Value.Url);
    }

    [Fact]
    public void Defaults_follow_tusd()
    {
        using var provider = Build(new() { ["Tus:Hooks:Http:Url"] = "https://hooks.example/tus" });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<HttpHookOptions>>().Value;
        var sink = Assert.Single(provider.GetServices<IHookSink>());

        Assert.Equal((TimeSpan.FromSeconds(15), 3, TimeSpan.FromSeconds(1)), (options.Timeout, options.Retries, options.Backoff));
        Assert.Equal(("http", true), (sink.Name, sink.CanDecide));
        Assert.Equal(
            [UploadEventType.PreCreate, UploadEventType.PostCreate, UploadEventType.PostReceive, UploadEventType.PostFinish, UploadEventType.PostTerminate],
            UploadEventTypes.All.Where(sink.Handles));
    }

    [Fact]
    public void Configured_events_replace_the_default()
    {
        using var provider = Build(new()
        {
            ["Tus:Hooks:Http:Url"] = "http://127.0.0.1:9/",
            ["Tus:Hooks:Http:Events:0"] = "pre-terminate",
            ["Tus:Hooks:Http:Events:1"] = " Pre-Finish ",
        });

        var sink = Assert.Single(provider.GetServices<IHookSink>());

        Assert.Equal([UploadEventType.PreFinish, UploadEventType.PreTerminate], UploadEventTypes.All.Where(sink.Handles));
    }

    [Theory]
    [InlineData("Url", "hooks.example/tus", "Tus:Hooks:Http:Url: 'hooks.example/tus' is not an absolute http or https URL")]
    [InlineData("Url", "ftp://hooks.example/", "Tus:Hooks:Http:Url: 'ftp://hooks.example/' is not an absolute http or https URL")]
    [InlineData("Events:0", "post-upload", "Tus:Hooks:Http:Events: 'post-upload' is not an event; use pre-create, post-create")]
    [InlineData("Timeout", "00:00:00", "Tus:Hooks:Http:Timeout must be positive.")]
    [InlineData("TotalTimeout", "00:00:05", "Tus:Hooks:Http:TotalTimeout must be at least Tus:Hooks:Http:Timeout.")]
    [InlineData("Retries", "-1", "Tus:Hooks:Http:Retries must be between 0 and 20.")]
    [InlineData("Backoff", "-00:00:01", "Tus:Hooks:Http:Backoff must not be negative.")]
    [InlineData("SecretHeaderName", "X Secret", "Tus:Hooks:Http:SecretHeaderName: 'X Secret' is not an HTTP header name.")]
    [InlineData("ForwardHeaders:0", "Bad:Name", "Tus:Hooks:Http:ForwardHeaders: 'Bad:Name' is not an HTTP header name.")]
    [InlineData("MaxResponseBytes", "0", "Tus:Hooks:Http:MaxResponseBytes must be between 1 and 16777216.")]
    public void Bad_settings_fail_at_start_naming_the_setting(string key, string value, string message)
    {
        using var provider = Build(new()
        {
            ["Tus:Hooks:Http:Url"] = "http://127.0.0.1:9/hooks",
            ["Tus:Hooks:Http:Secret"] = "s",
            [$"Tus:Hooks:Http:{key}"] = value,
        });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddHttpHooks(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
