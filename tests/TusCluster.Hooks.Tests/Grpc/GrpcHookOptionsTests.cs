using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Grpc;
using TusCluster.Hooks.Sinks;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Grpc;

public sealed class GrpcHookOptionsTests
{
    [Fact]
    public void Without_an_address_there_is_no_grpc_sink()
    {
        using var host = Create(new() { ["Retries"] = "-1" });

        Assert.Empty(host.Services.GetServices<IHookSink>());
    }

    [Fact]
    public void Defaults_follow_tusd()
    {
        using var host = Create(new() { ["Address"] = "http://127.0.0.1:9" });

        host.Services.GetRequiredService<IStartupValidator>().Validate();
        var options = host.Services.GetRequiredService<IOptions<GrpcHookOptions>>().Value;

        Assert.Equal((3, TimeSpan.FromSeconds(1)), (options.Retries, options.Backoff));
        Assert.Equal(("grpc", true), (host.Sink.Name, host.Sink.CanDecide));
        Assert.Equal(
            [UploadEventType.PreCreate, UploadEventType.PostCreate, UploadEventType.PostReceive, UploadEventType.PostFinish, UploadEventType.PostTerminate],
            UploadEventTypes.All.Where(host.Sink.Handles));
    }

    [Theory]
    [InlineData("Address", "127.0.0.1:8000", "Tus:Hooks:Grpc:Address: '127.0.0.1:8000' is not an http or https address without a path")]
    [InlineData("Address", "http://hooks:8000/proto", "Tus:Hooks:Grpc:Address: 'http://hooks:8000/proto' is not an http or https address without a path")]
    [InlineData("Events:0", "post-upload", "Tus:Hooks:Grpc:Events: 'post-upload' is not an event")]
    [InlineData("Timeout", "-00:00:01", "Tus:Hooks:Grpc:Timeout must be positive.")]
    [InlineData("TotalTimeout", "00:00:01", "Tus:Hooks:Grpc:TotalTimeout must be at least Tus:Hooks:Grpc:Timeout.")]
    [InlineData("Retries", "21", "Tus:Hooks:Grpc:Retries must be between 0 and 20.")]
    [InlineData("Backoff", "-00:00:01", "Tus:Hooks:Grpc:Backoff must not be negative.")]
    [InlineData("ForwardHeaders:0", "a b", "Tus:Hooks:Grpc:ForwardHeaders: 'a b' is not an HTTP header name.")]
    [InlineData("MaxResponseBytes", "0", "Tus:Hooks:Grpc:MaxResponseBytes must be between 1 and 16777216.")]
    public void Bad_settings_fail_at_start_naming_the_setting(string key, string value, string message)
    {
        using var host = Create(new() { ["Address"] = "http://127.0.0.1:9", [key] = value });

        var exception = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    private static SinkHost Create(Dictionary<string, string?> settings) =>
        new(GrpcHooksServiceCollectionExtensions.AddGrpcHooks, GrpcHookOptions.SectionName, settings);
}
