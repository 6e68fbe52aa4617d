using System.Text.Json;
using System.Text.Json.Nodes;

namespace TusCluster.Operator.Resources;

/// <summary>A TusServer object as read from the API: identity, generation and the typed spec.</summary>
internal sealed record TusServer(string Namespace, string Name, string Uid, long Generation, TusServerSpec Spec, JsonObject? Status)
{
    public const string Group = "tuscluster.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;
    public const string Kind = "TusServer";

    /// <summary>Why the spec could not be read into its types (only possible if the CRD schema was bypassed).</summary>
    public string? SpecError { get; init; }

    internal static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>Reads an object; a spec that does not match the types is reported in <see cref="SpecError"/>.</summary>
    public static TusServer FromJson(JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject ?? throw new JsonException("metadata is missing.");
        TusServerSpec spec;
        string? specError = null;
        try
        {
            spec = obj["spec"]?.Deserialize<TusServerSpec>(SerializerOptions) ?? new TusServerSpec();
        }
        catch (JsonException e)
        {
            spec = new TusServerSpec();
            specError = $"spec cannot be read: {e.Message}";
        }

        return new TusServer(
            (string?)metadata["namespace"] ?? "default",
            (string?)metadata["name"] ?? throw new JsonException("metadata.name is missing."),
            (string?)metadata["uid"] ?? "",
            JsonNumbers.Int64(metadata["generation"]) ?? 0,
            spec,
            obj["status"] as JsonObject) { SpecError = specError };
    }
}
