namespace TusCluster.Protocol.Drafts;

/// <summary>A Boolean structured field (RFC 8941): "?1" or "?0"; anything else is ignored, as the draft says.</summary>
internal static class StructuredBoolean
{
    public static bool? Parse(string? value) => value?.Trim(' ') switch
    {
        "?1" => true,
        "?0" => false,
        _ => null,
    };

    public static string Format(bool value) => value ? "?1" : "?0";
}
