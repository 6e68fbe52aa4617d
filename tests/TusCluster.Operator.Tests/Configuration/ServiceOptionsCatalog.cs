using System.Collections;
using System.ComponentModel;
using System.Reflection;

namespace TusCluster.Operator.Tests.Configuration;

/// <summary>
/// Every options class the services bind, found by reflection over the TusCluster service assemblies (each
/// declares <c>const string SectionName</c>), plus the single keys they read directly (<c>Tus:...Key</c>
/// constants). Resolves a configuration key to the property that takes it, as ConfigurationBinder would.
/// </summary>
internal sealed class ServiceOptionsCatalog
{
    private readonly List<(string Section, Type Options)> _sections = [];
    private readonly HashSet<string> _singleKeys = new(StringComparer.OrdinalIgnoreCase);

    public ServiceOptionsCatalog()
    {
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "TusCluster.*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (name.StartsWith("TusCluster.Operator", StringComparison.Ordinal)) continue;
            foreach (var type in Assembly.Load(name).GetTypes())
            {
                foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral && f.FieldType == typeof(string)))
                {
                    if (field.GetRawConstantValue() is not string value || !value.StartsWith("Tus", StringComparison.Ordinal)) continue;
                    if (field.Name == "SectionName") _sections.Add((value, type));
                    else if (field.Name.EndsWith("Key", StringComparison.Ordinal)) _singleKeys.Add(value);
                }
            }
        }
    }

    public int SectionCount => _sections.Count;

    /// <summary>Why no option takes <paramref name="key"/> (with <paramref name="value"/> when <paramref name="checkValue"/>), or null when one does.</summary>
    public string? Problem(string key, string value, bool checkValue)
    {
        if (_singleKeys.Contains(key)) return null;
        var segments = key.Split(':');
        var candidates = _sections
            .Where(s => key.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(s => s.Section.Length)
            .ToList();
        if (candidates.Count == 0) return $"{key}: no options section is a prefix of it";
        var problems = new List<string>();
        foreach (var (section, options) in candidates)
        {
            var problem = Walk(options, segments[section.Split(':').Length..], value, checkValue);
            if (problem is null) return null;
            problems.Add($"{options.Name}: {problem}");
        }

        return $"{key}: {string.Join("; ", problems)}";
    }

    private static string? Walk(Type type, string[] path, string value, bool checkValue)
    {
        foreach (var segment in path)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (int.TryParse(segment, out _) && ElementType(type) is { } element)
            {
                type = element;
                continue;
            }

            var property = type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || property.SetMethod is null && ElementType(property.PropertyType) is null) return $"{type.Name} has no settable property '{segment}'";
            type = property.PropertyType;
        }

        var leaf = Nullable.GetUnderlyingType(type) ?? type;
        var converter = TypeDescriptor.GetConverter(leaf);
        if (!converter.CanConvertFrom(typeof(string))) return $"ends at {leaf.Name}, which a single value cannot bind to";
        if (!checkValue) return null;
        try
        {
            converter.ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            return $"'{value}' does not convert to {leaf.Name}";
        }
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType ? type.GetGenericArguments()[^1]
        : null;
}
