using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using TusCluster.Hooks.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Amqp;

/// <summary>Start-up validation of <see cref="AmqpHookOptions"/>: every problem, each naming its setting, never the URI's secret.</summary>
internal sealed partial class AmqpHookOptionsValidator : IValidateOptions<AmqpHookOptions>
{
    private const string Section = AmqpHookOptions.SectionName;
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, AmqpHookOptions options)
    {
        var problems = new List<string>();
        ValidateUri(options.Uri, problems);
        ValidateEvents(options.Events, problems);
        if (options.ConfirmTimeout <= TimeSpan.Zero || options.ConfirmTimeout > MaxTimeout)
        {
            problems.Add($"{Section}:ConfirmTimeout must be greater than 0 and at most 00:05:00.");
        }

        if (options.RecoveryInterval < TimeSpan.FromMilliseconds(100) || options.RecoveryInterval > MaxTimeout)
        {
            problems.Add($"{Section}:RecoveryInterval must be from 00:00:00.1 to 00:05:00.");
        }

        if (options.IsCelery)
        {
            ValidateCelery(options.Celery, problems);
        }
        else
        {
            ValidateExchange(options, problems);
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void ValidateUri(string? uri, List<string> problems)
    {
        const string Expected = "an amqp:// or amqps:// URI like amqp://user:password@rabbitmq:5672/vhost";
        if (!System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("amqp" or "amqps"))
        {
            problems.Add($"{Section}:Uri must be {Expected}.");
            return;
        }

        try
        {
            _ = new ConnectionFactory { Uri = parsed };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
        {
            // The client's message may quote the URI, password included: only say that it was refused.
            problems.Add($"{Section}:Uri is not accepted by the AMQP client; it must be {Expected}.");
        }
    }

    private static void ValidateEvents(IList<string> events, List<string> problems)
    {
        HookEventsSetting.Validate(Section, events, problems);
        foreach (var name in events)
        {
            if (UploadEventTypes.TryParse(name, out var type) && type.IsBlocking())
            {
                problems.Add($"{Section}:Events: '{type.Name()}' is a blocking hook that needs an answer, which AMQP cannot give; "
                    + $"AMQP takes {string.Join(", ", AmqpHookOptions.PostEvents.Select(post => post.Name()))}.");
            }
        }
    }

    private static void ValidateExchange(AmqpHookOptions options, List<string> problems)
    {
        if (options.Exchange is null || options.Exchange.Length > RoutingKeyTemplate.MaxBytes || !AmqpName().IsMatch(options.Exchange))
        {
            problems.Add($"{Section}:Exchange must have at most {RoutingKeyTemplate.MaxBytes} letters, digits, '-', '_', '.' or ':' (empty for the default exchange).");
        }
        else if (options.DeclareExchange && (options.Exchange.Length == 0 || options.Exchange.StartsWith("amq.", StringComparison.Ordinal)))
        {
            problems.Add($"{Section}:DeclareExchange: the default exchange and 'amq.*' exchanges cannot be declared; set DeclareExchange to false or name another exchange.");
        }

        if (RoutingKeyTemplate.Problem(options.RoutingKey) is { } problem)
        {
            problems.Add($"{Section}:RoutingKey: {problem} (default tus.{{type}}).");
        }
    }

    private static void ValidateCelery(CeleryOptions celery, List<string> problems)
    {
        if (celery.Task!.Trim() != celery.Task || celery.Task.Length > RoutingKeyTemplate.MaxBytes)
        {
            problems.Add($"{Section}:Celery:Task must be a task name without surrounding spaces, at most {RoutingKeyTemplate.MaxBytes} characters.");
        }

        if (string.IsNullOrEmpty(celery.Queue) || celery.Queue.Length > RoutingKeyTemplate.MaxBytes || !AmqpName().IsMatch(celery.Queue))
        {
            problems.Add($"{Section}:Celery:Queue must be 1 to {RoutingKeyTemplate.MaxBytes} letters, digits, '-', '_', '.' or ':'.");
        }

        if (celery.Keyword is not null && !PythonIdentifier().IsMatch(celery.Keyword))
        {
            problems.Add($"{Section}:Celery:Keyword must be a Python identifier like 'hook' (or unset to pass the hook request as the first positional argument).");
        }
    }

    // RabbitMQ's rule for exchange and queue names.
    [GeneratedRegex("^[A-Za-z0-9_.:-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex AmqpName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex PythonIdentifier();
}
