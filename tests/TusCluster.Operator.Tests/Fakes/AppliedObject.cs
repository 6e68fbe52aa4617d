using System.Text.Json.Nodes;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>One server-side apply request as the fake API server received it.</summary>
internal sealed record AppliedObject(string Path, JsonObject Body, string FieldManager, bool Force)
{
    public string Kind => (string)Body["kind"]!;

    public string Name => (string)Body["metadata"]!["name"]!;
}
