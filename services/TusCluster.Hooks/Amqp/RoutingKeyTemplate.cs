using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Amqp;

/// <summary>A routing key with <c>{type}</c> standing for the tusd event name; expanded once per event type.</summary>
internal sealed class RoutingKeyTemplate
{
    public const string TypePlaceholder = "{type}";

    /// <summary>AMQP 0-9-1 short strings (exchange names, routing keys) hold at most 255 bytes.</summary>
    public const int MaxBytes = 255;

    private readonly string[] _keys;

    public RoutingKeyTemplate(string template)
    {
        if (Problem(template) is { } problem)
        {
            throw new ArgumentException(problem, nameof(template));
        }

        _keys = [.. UploadEventTypes.All.Select(type => template.Replace(TypePlaceholder, type.Name(), StringComparison.Ordinal))];
    }

    public string For(UploadEventType type) => _keys[(int)type];

    /// <summary>Why <paramref name="template"/> cannot be used, or null.</summary>
    public static string? Problem(string? template)
    {
        if (template is null)
        {
            return "it is missing";
        }

        var rest = template.Replace(TypePlaceholder, string.Empty, StringComparison.Ordinal);
        if (rest.Contains('{', StringComparison.Ordinal) || rest.Contains('}', StringComparison.Ordinal))
        {
            return $"the only placeholder is {TypePlaceholder}";
        }

        var longest = UploadEventTypes.All.Max(type => type.Name().Length);
        var bytes = System.Text.Encoding.UTF8.GetByteCount(rest) + (longest * Count(template));
        return bytes > MaxBytes ? $"a routing key may have at most {MaxBytes} bytes" : null;
    }

    private static int Count(string template)
    {
        var count = 0;
        for (var at = template.IndexOf(TypePlaceholder, StringComparison.Ordinal); at >= 0; at = template.IndexOf(TypePlaceholder, at + TypePlaceholder.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
