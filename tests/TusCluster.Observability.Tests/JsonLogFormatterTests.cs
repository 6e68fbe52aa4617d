using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TusCluster.Observability.Logging;
using TusCluster.Protocol.Telemetry;

namespace TusCluster.Observability.Tests;

public sealed class JsonLogFormatterTests
{
    [Fact]
    public void A_line_carries_replica_trace_upload_and_structured_values()
    {
        var formatter = new JsonLogFormatter(new ReplicaIdentity("tuscluster-upload-service", "replica-7"));
        using var request = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();
        request.SetTag(TusTelemetry.UploadIdTag, "0123456789abcdef0123456789abcdef");
        using var child = new Activity("child").Start();
        var scopes = new LoggerExternalScopeProvider();
        using var scope = scopes.Push(new Dictionary<string, object?> { ["Tenant"] = "acme" });
        var state = new List<KeyValuePair<string, object?>> { new("Method", "PATCH"), new("{OriginalFormat}", "{Method} failed") };
        using var writer = new StringWriter();

        formatter.Write(
            new LogEntry<List<KeyValuePair<string, object?>>>(LogLevel.Warning, "Tus.Engine", new EventId(3), state, new InvalidOperationException("boom"), (s, _) => "PATCH failed"),
            scopes,
            writer);

        var line = writer.ToString();
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        Assert.Single(line.TrimEnd('\n').Split('\n'));
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal("Warning", json.GetProperty("level").GetString());
        Assert.Equal("Tus.Engine", json.GetProperty("category").GetString());
        Assert.Equal("PATCH failed", json.GetProperty("message").GetString());
        Assert.Contains("boom", json.GetProperty("exception").GetString(), StringComparison.Ordinal);
        Assert.Equal("replica-7", json.GetProperty("replica").GetString());
        Assert.Equal("tuscluster-upload-service", json.GetProperty("service").GetString());
        Assert.Equal(request.TraceId.ToHexString(), json.GetProperty("trace_id").GetString());
        Assert.Equal(child.SpanId.ToHexString(), json.GetProperty("span_id").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef", json.GetProperty("upload_id").GetString());
        Assert.Equal("PATCH", json.GetProperty("attributes").GetProperty("Method").GetString());
        Assert.Equal("acme", json.GetProperty("attributes").GetProperty("Tenant").GetString());
        Assert.False(json.GetProperty("attributes").TryGetProperty("{OriginalFormat}", out _));
    }

    [Fact]
    public void An_upload_id_in_the_message_wins_over_the_request_tag()
    {
        var formatter = new JsonLogFormatter(new ReplicaIdentity("s", "r"));
        var state = new List<KeyValuePair<string, object?>> { new("UploadId", "ffffffffffffffffffffffffffffffff") };
        using var writer = new StringWriter();

        formatter.Write(new LogEntry<List<KeyValuePair<string, object?>>>(LogLevel.Information, "c", default, state, null, (_, _) => "m"), null, writer);

        Assert.Equal("ffffffffffffffffffffffffffffffff", JsonDocument.Parse(writer.ToString()).RootElement.GetProperty("upload_id").GetString());
    }
}
