using System.Reflection;

namespace TusCluster.Coordination.PostgreSql;

/// <summary>
/// The schema's SQL, read from the shipped <c>Schema/schema.sql</c> (embedded in the assembly), so the file an
/// operator runs by hand and what <c>CreateSchema</c> runs cannot drift apart. The file is written for the
/// schema <c>"tus"</c>; another schema name replaces that quoted identifier.
/// </summary>
internal static class PostgresSchema
{
    private const string FileSchema = "\"" + PostgresCoordinationOptions.DefaultSchema + "\"";

    /// <summary>The file exactly as shipped.</summary>
    public static string File { get; } = ReadFile();

    /// <summary>The script for <paramref name="schema"/> (already validated: lowercase letters, digits and '_').</summary>
    public static string Script(string schema) => File.Replace(FileSchema, Quote(schema), StringComparison.Ordinal);

    public static string Quote(string identifier) => "\"" + identifier + "\"";

    private static string ReadFile()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("TusCluster.Coordination.PostgreSql.schema.sql")
            ?? throw new InvalidOperationException("The embedded schema.sql is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
