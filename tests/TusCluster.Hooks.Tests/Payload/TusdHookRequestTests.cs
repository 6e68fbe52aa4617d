using System.Text.Json;
using TusCluster.Hooks.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Payload;

/// <summary>The request JSON against tusd v2's (docs/_advanced-topics/hooks.md, handler.FileInfo, handler.HTTPRequest).</summary>
public sealed class TusdHookRequestTests
{
    public static TheoryData<string> EventNames => [.. UploadEventTypes.All.Select(type => type.Name())];

    [Theory]
    [MemberData(nameof(EventNames))]
    public void Every_event_type_has_tusds_fields_and_shapes(string name)
    {
        Assert.True(UploadEventTypes.TryParse(name, out var type));

        using var json = Serialize(SampleEvents.Of(type));
        var root = json.RootElement;

        Assert.Equal(["Type", "Event", "EventId", "Replica", "OccurredAt"], Names(root));
        Assert.Equal(name, root.GetProperty("Type").GetString());
        Assert.Equal(SampleEvents.EventId, root.GetProperty("EventId").GetString());
        Assert.Equal("tus-0", root.GetProperty("Replica").GetString());
        Assert.Equal("2026-12-06T04:30:15.25+00:00", root.GetProperty("OccurredAt").GetString());

        var hookEvent = root.GetProperty("Event");
        Assert.Equal(["Upload", "HTTPRequest"], Names(hookEvent));
        var upload = hookEvent.GetProperty("Upload");
        Assert.Equal(["ID", "Size", "SizeIsDeferred", "Offset", "MetaData", "IsPartial", "IsFinal", "PartialUploads", "Storage"], Names(upload));
        Assert.Equal(JsonValueKind.Number, upload.GetProperty("Size").ValueKind);
        Assert.Equal(432724, upload.GetProperty("Size").GetInt64());
        Assert.Equal(JsonValueKind.False, upload.GetProperty("SizeIsDeferred").ValueKind);
        Assert.Equal(JsonValueKind.Number, upload.GetProperty("Offset").ValueKind);
        Assert.Equal(JsonValueKind.Object, upload.GetProperty("MetaData").ValueKind);
        Assert.Equal("a.png", upload.GetProperty("MetaData").GetProperty("filename").GetString());
        Assert.Equal(JsonValueKind.Null, upload.GetProperty("PartialUploads").ValueKind);

        var request = hookEvent.GetProperty("HTTPRequest");
        Assert.Equal(["Method", "URI", "RemoteAddr", "Header"], Names(request));
        Assert.Equal("127.0.0.1:59395", request.GetProperty("RemoteAddr").GetString());
        var header = request.GetProperty("Header");
        Assert.Equal(JsonValueKind.Array, header.GetProperty("Authorization").ValueKind);
        Assert.Equal(["Bearer abc"], header.GetProperty("Authorization").EnumerateArray().Select(value => value.GetString()));
        Assert.Equal(["a", "b"], header.GetProperty("X-Trace").EnumerateArray().Select(value => value.GetString()));
    }

    [Fact]
    public void Pre_create_has_an_empty_id_and_no_storage()
    {
        using var json = Serialize(SampleEvents.Of(UploadEventType.PreCreate));
        var upload = json.RootElement.GetProperty("Event").GetProperty("Upload");

        Assert.Equal(string.Empty, upload.GetProperty("ID").GetString());
        Assert.Equal(0, upload.GetProperty("Offset").GetInt64());
        Assert.Equal(JsonValueKind.Null, upload.GetProperty("Storage").ValueKind);
        Assert.Equal("POST", json.RootElement.GetProperty("Event").GetProperty("HTTPRequest").GetProperty("Method").GetString());
        Assert.Equal("/files/", json.RootElement.GetProperty("Event").GetProperty("HTTPRequest").GetProperty("URI").GetString());
    }

    [Fact]
    public void Post_finish_carries_id_and_storage_as_an_object()
    {
        using var json = Serialize(SampleEvents.Of(UploadEventType.PostFinish));
        var upload = json.RootElement.GetProperty("Event").GetProperty("Upload");

        Assert.Equal("5d892c228ec8d0451dfec588697e8930", upload.GetProperty("ID").GetString());
        Assert.Equal(432724, upload.GetProperty("Offset").GetInt64());
        Assert.Equal("filestore", upload.GetProperty("Storage").GetProperty("Type").GetString());
    }

    [Fact]
    public void A_deferred_size_is_null()
    {
        var uploadEvent = SampleEvents.Of(UploadEventType.PostCreate, new UploadSnapshot { Id = "5d892c228ec8d0451dfec588697e8930", SizeIsDeferred = true });

        using var json = Serialize(uploadEvent);
        var upload = json.RootElement.GetProperty("Event").GetProperty("Upload");

        Assert.Equal(JsonValueKind.Null, upload.GetProperty("Size").ValueKind);
        Assert.Equal(JsonValueKind.True, upload.GetProperty("SizeIsDeferred").ValueKind);
        Assert.Equal(JsonValueKind.Object, upload.GetProperty("MetaData").ValueKind);
        Assert.Empty(upload.GetProperty("MetaData").EnumerateObject());
    }

    [Fact]
    public void A_final_upload_lists_its_partial_uploads_in_order()
    {
        var uploadEvent = SampleEvents.Of(UploadEventType.PostFinish, new UploadSnapshot
        {
            Id = "ffffffffffffffffffffffffffffffff",
            Size = 10,
            Offset = 10,
            IsFinal = true,
            PartialUploads = ["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"],
        });

        using var json = Serialize(uploadEvent);
        var upload = json.RootElement.GetProperty("Event").GetProperty("Upload");

        Assert.Equal(JsonValueKind.True, upload.GetProperty("IsFinal").ValueKind);
        Assert.Equal(JsonValueKind.False, upload.GetProperty("IsPartial").ValueKind);
        Assert.Equal(["bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"], upload.GetProperty("PartialUploads").EnumerateArray().Select(id => id.GetString()));
    }

    [Fact]
    public void Header_names_are_canonical_like_gos_and_repeated_names_merge()
    {
        var request = new RequestSnapshot
        {
            Method = "PATCH",
            Uri = "/files/x",
            RemoteAddr = "[::1]:1234",
            Header = new Dictionary<string, string[]> { ["upload-METADATA"] = ["a"], ["Upload-Metadata"] = ["b"], ["x-odd name"] = ["c"] },
        };

        using var json = Serialize(SampleEvents.Of(UploadEventType.PostReceive, request: request));
        var header = json.RootElement.GetProperty("Event").GetProperty("HTTPRequest").GetProperty("Header");

        Assert.Equal(["Upload-Metadata", "x-odd name"], Names(header));
        Assert.Equal(["a", "b"], header.GetProperty("Upload-Metadata").EnumerateArray().Select(value => value.GetString()));
    }

    private static JsonDocument Serialize(UploadEvent uploadEvent) => JsonDocument.Parse(TusdHookJson.SerializeRequest(uploadEvent));

    private static string[] Names(JsonElement element) => [.. element.EnumerateObject().Select(property => property.Name)];
}
