using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// One served resource as discovery lists it: built in, or from a CustomResourceDefinition version (then
/// with its subresources and printer columns, and lists that are atomic as in a structural schema).
/// </summary>
internal sealed record ApiResource(string Group, string Version, string Plural, string Singular, string Kind, bool Namespaced)
{
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    public bool HasStatus { get; init; }

    public ScaleSubresource? Scale { get; init; }

    /// <summary>additionalPrinterColumns of the CRD version (empty: Name and Age only).</summary>
    public JsonArray PrinterColumns { get; init; } = [];

    /// <summary>The CRD version's openAPIV3Schema (defaults come from it); null for built-ins.</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>The CRD that serves it; null for a built-in resource.</summary>
    public string? DefinedBy { get; init; }

    public bool IsCustom => DefinedBy is not null;

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    public string Root => Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
}

/// <summary>The scale subresource: where replicas and the selector live in the object (".spec.replicas").</summary>
internal sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);
