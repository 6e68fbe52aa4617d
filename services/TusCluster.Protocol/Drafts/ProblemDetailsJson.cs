using System.Buffers;
using System.Text.Json;
using TusCluster.Protocol.Engine;

namespace TusCluster.Protocol.Drafts;

/// <summary>The draft's problem types (RFC 9457 problem details) as JSON.</summary>
internal static class ProblemDetailsJson
{
    private const string TypeBase = "https://iana.org/assignments/http-problem-types#";

    public static ReadOnlyMemory<byte> Write(TusProblem problem, string detail)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", TypeBase + problem.Kind switch
            {
                TusProblemKind.MismatchingOffset => "mismatching-upload-offset",
                TusProblemKind.CompletedUpload => "completed-upload",
                TusProblemKind.InconsistentLength => "inconsistent-upload-length",
                _ => throw new ArgumentOutOfRangeException(nameof(problem), problem.Kind, "the draft defines no problem type for this"),
            });
            json.WriteString("title", problem.Kind switch
            {
                TusProblemKind.MismatchingOffset => "the request's Upload-Offset is not the upload's offset",
                TusProblemKind.CompletedUpload => "the upload is already complete",
                _ => "the upload's length values disagree",
            });
            json.WriteString("detail", detail);
            if (problem.ExpectedOffset is { } expected)
            {
                json.WriteNumber("expected-offset", expected);
            }

            if (problem.ProvidedOffset is { } provided)
            {
                json.WriteNumber("provided-offset", provided);
            }

            json.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
