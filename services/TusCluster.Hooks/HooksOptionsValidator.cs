using Microsoft.Extensions.Options;

namespace TusCluster.Hooks;

internal sealed class HooksOptionsValidator : IValidateOptions<HooksOptions>
{
    public ValidateOptionsResult Validate(string? name, HooksOptions options)
    {
        var errors = new List<string>();
        foreach (var header in options.ForwardHeaders)
        {
            if (string.IsNullOrWhiteSpace(header) || header.Any(c => c is <= ' ' or > '~' or ':'))
            {
                errors.Add($"Tus:Hooks:ForwardHeaders has '{header}', which is not a header name.");
            }
        }

        Positive(errors, "PostReceiveInterval", options.PostReceiveInterval, allowZero: true);
        Positive(errors, "RedeliveryDelay", options.RedeliveryDelay);
        Positive(errors, "RedeliveryPollInterval", options.RedeliveryPollInterval);
        Positive(errors, "MaxRedeliveryBackoff", options.MaxRedeliveryBackoff);
        Positive(errors, "GiveUpAfter", options.GiveUpAfter);
        if (options.GiveUpAfter <= options.RedeliveryDelay)
        {
            errors.Add("Tus:Hooks:GiveUpAfter must be longer than Tus:Hooks:RedeliveryDelay.");
        }

        if (options.RedeliveryBatchSize is < 1 or > 10_000)
        {
            errors.Add($"Tus:Hooks:RedeliveryBatchSize must be between 1 and 10000 (got {options.RedeliveryBatchSize}).");
        }

        if (options.DeliveryConcurrency is < 1 or > 256)
        {
            errors.Add($"Tus:Hooks:DeliveryConcurrency must be between 1 and 256 (got {options.DeliveryConcurrency}).");
        }

        if (options.DeliveryQueueCapacity is < 1 or > 1_000_000)
        {
            errors.Add($"Tus:Hooks:DeliveryQueueCapacity must be between 1 and 1000000 (got {options.DeliveryQueueCapacity}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, TimeSpan value, bool allowZero = false)
    {
        if (value < TimeSpan.Zero || (!allowZero && value == TimeSpan.Zero) || value > TimeSpan.FromDays(365))
        {
            errors.Add($"Tus:Hooks:{key} must be {(allowZero ? "zero or more" : "more than zero")} and at most 365 days (got {value}).");
        }
    }
}
