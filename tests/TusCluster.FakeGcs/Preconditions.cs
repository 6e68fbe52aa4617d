using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace TusCluster.FakeGcs;

/// <summary>
/// GCS's generation preconditions as query parameters. <c>ifGenerationMatch=0</c> means "only if no live
/// object exists"; a failed precondition is 412 conditionNotMet, as GCS answers.
/// </summary>
internal sealed record Preconditions(long? IfGenerationMatch, long? IfGenerationNotMatch, long? IfMetagenerationMatch, long? IfMetagenerationNotMatch)
{
    public static Preconditions None { get; } = new(null, null, null, null);

    public static Preconditions From(IQueryCollection query, string prefix = "if") => new(
        Number(query, prefix + "GenerationMatch"),
        Number(query, prefix + "GenerationNotMatch"),
        Number(query, prefix + "MetagenerationMatch"),
        Number(query, prefix + "MetagenerationNotMatch"));

    public void Check(StoredObject? current, string bucket, string name)
    {
        var holds =
            (IfGenerationMatch is not { } generation || (generation == 0 ? current is null : current?.Generation == generation))
            && (IfGenerationNotMatch is not { } notGeneration || (notGeneration == 0 ? current is not null : current?.Generation != notGeneration))
            && (IfMetagenerationMatch is not { } metageneration || current?.Metageneration == metageneration)
            && (IfMetagenerationNotMatch is not { } notMetageneration || (current is not null && current.Metageneration != notMetageneration));
        if (!holds)
        {
            throw new FakeGcsException(412, "conditionNotMet", $"At least one of the pre-conditions you specified did not hold ({bucket}/{name}).");
        }
    }

    private static long? Number(IQueryCollection query, string key)
    {
        if (!query.TryGetValue(key, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw FakeGcsException.BadRequest($"Invalid argument for {key}: '{value}'.");
    }
}
