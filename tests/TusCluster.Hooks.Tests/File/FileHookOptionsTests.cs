using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.File;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.File;

public sealed class FileHookOptionsTests
{
    [Fact]
    public void Without_a_directory_there_is_no_file_sink()
    {
        using var provider = Build(new() { ["Tus:Hooks:File:Timeout"] = "nonsense-is-not-read" });

        Assert.Empty(provider.GetServices<IHookSink>());
    }

    [Fact]
    public void Defaults_follow_tusd()
    {
        using var directory = new TemporaryDirectory();
        using var provider = Build(new() { ["Tus:Hooks:File:Directory"] = directory.Path });

        provider.GetRequiredService<IStartupValidator>().Validate();
        var sink = Assert.Single(provider.GetServices<IHookSink>());

        Assert.Equal(("file", true), (sink.Name, sink.CanDecide));
        Assert.Equal(
            [UploadEventType.PreCreate, UploadEventType.PostCreate, UploadEventType.PostReceive, UploadEventType.PostFinish, UploadEventType.PostTerminate],
            UploadEventTypes.All.Where(sink.Handles));
    }

    [Theory]
    [InlineData("Directory", "hooks", "Tus:Hooks:File:Directory: 'hooks' is not an absolute path.")]
    [InlineData("Directory", "/nonexistent/tus-hooks", "Tus:Hooks:File:Directory: '/nonexistent/tus-hooks' does not exist or is not a directory.")]
    [InlineData("Events:0", "finish", "Tus:Hooks:File:Events: 'finish' is not an event")]
    [InlineData("Timeout", "00:00:00", "Tus:Hooks:File:Timeout must be positive and at most 01:00:00.")]
    [InlineData("MaxOutputBytes", "0", "Tus:Hooks:File:MaxOutputBytes must be between 1 and 16777216.")]
    public void Bad_settings_fail_at_start_naming_the_setting(string key, string value, string message)
    {
        using var directory = new TemporaryDirectory();
        using var provider = Build(new() { ["Tus:Hooks:File:Directory"] = directory.Path, [$"Tus:Hooks:File:{key}"] = value });

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddFileHooks(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
