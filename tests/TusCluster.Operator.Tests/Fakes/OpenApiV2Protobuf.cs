using System.Text;

namespace TusCluster.Operator.Tests.Fakes;

/// <summary>
/// /openapi/v2 for kubectl before 1.28, which only reads it as protobuf (gnostic's openapi.v2.Document): a path
/// per resource whose PATCH declares its group-version-kind and the fieldValidation query parameter, which is
/// all kubectl's parameter check looks at (field numbers from gnostic's OpenAPIv2.proto). No definitions: those
/// kubectl versions then leave validation to the server too.
/// </summary>
internal static class OpenApiV2Protobuf
{
    /// <summary>What kube-apiserver answers with (kubectl asks for application/com.github.proto-openapi.spec.v2@v1.0+protobuf).</summary>
    public const string MediaType = "application/octet-stream";

    public static byte[] Document(IEnumerable<ApiResource> resources)
    {
        var paths = new List<byte[]>();
        foreach (var r in resources)
        {
            var gvk = $"group: \"{r.Group}\"\nkind: {r.Kind}\nversion: {r.Version}\n";
            var extension = Message((1, Text("x-kubernetes-group-version-kind")), (2, Message((2, Text(gvk)))));
            var parameters = new[] { "fieldValidation", "fieldManager", "force", "dryRun" }.Select(name =>
                (8, Message((1, Message((2, Message((3, Message((2, Text("query")), (4, Text(name)), (6, Text("string"))))))))))).ToList();
            var patch = Message([.. parameters, (13, extension)]);
            var item = r.Namespaced ? $"{r.Root}/namespaces/{{namespace}}/{r.Plural}/{{name}}" : $"{r.Root}/{r.Plural}/{{name}}";
            paths.Add(Message((1, Text(item)), (2, Message((8, patch)))));
        }

        return Message(
            (1, Text("2.0")),
            (2, Message((1, Text("Kubernetes (fake)")), (2, Text("v1.32.0")))),
            (8, Message([.. paths.Select(p => (2, p))])));
    }

    private static byte[] Text(string value) => Encoding.UTF8.GetBytes(value);

    /// <summary>Length-delimited fields (wire type 2) in order: strings and nested messages alike.</summary>
    private static byte[] Message(params (int Field, byte[] Value)[] fields)
    {
        using var buffer = new MemoryStream();
        foreach (var (field, value) in fields)
        {
            Varint(buffer, (ulong)((field << 3) | 2));
            Varint(buffer, (ulong)value.Length);
            buffer.Write(value);
        }

        return buffer.ToArray();
    }

    private static void Varint(MemoryStream buffer, ulong value)
    {
        while (value >= 0x80)
        {
            buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        buffer.WriteByte((byte)value);
    }
}
