using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TusCluster.Hooks.Amqp;

namespace TusCluster.Hooks.Tests.Amqp;

internal static class AmqpSinks
{
    /// <summary>Options for a broker with a test-unique exchange, short time limits and quick recovery.</summary>
    public static AmqpHookOptions Options(Uri broker, string? exchange = null) => new()
    {
        Uri = broker.ToString(),
        Exchange = exchange ?? $"tus.test.{Guid.NewGuid():N}",
        ConfirmTimeout = TimeSpan.FromSeconds(5),
        RecoveryInterval = TimeSpan.FromSeconds(1),
    };

    /// <summary>The sink as the service builds it; the options must pass the start-up validation first.</summary>
    public static AmqpHookSink Create(AmqpHookOptions options)
    {
        var result = new AmqpHookOptionsValidator().Validate(null, options);
        Assert.True(result.Succeeded, result.FailureMessage);
        return new AmqpHookSink(Microsoft.Extensions.Options.Options.Create(options), NullLogger<AmqpHookSink>.Instance);
    }
}
