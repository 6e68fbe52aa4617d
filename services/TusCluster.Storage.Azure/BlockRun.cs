using System.Text.Json.Serialization;

namespace TusCluster.Storage.Azure;

/// <summary>
/// Consecutive full blocks staged by one chunk: <see cref="Count"/> blocks whose ids carry the writer's
/// <see cref="Fence"/> and a <see cref="Nonce"/> of its own (<see cref="BlockIds"/>). Runs keep the store
/// state small: one entry per chunk, not one per block.
/// </summary>
internal sealed record BlockRun(
    [property: JsonPropertyName("f")] long Fence,
    [property: JsonPropertyName("n")] string Nonce,
    [property: JsonPropertyName("c")] int Count);
