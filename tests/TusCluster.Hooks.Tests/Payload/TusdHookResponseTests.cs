using System.Text;
using TusCluster.Hooks.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Tests.Payload;

/// <summary>Reading a receiver's answer (tusd's hooks.HookResponse) into a decision.</summary>
public sealed class TusdHookResponseTests
{
    [Fact]
    public void A_full_response_maps_every_supported_field()
    {
        var decision = Parse("""
            {
              "HTTPResponse": { "StatusCode": 403, "Body": "{\"message\":\"no\"}", "Header": { "X-Reason": "quota", "Content-Type": "application/json" } },
              "RejectUpload": true,
              "RejectTermination": true,
              "ChangeFileInfo": { "ID": "custom-id", "MetaData": { "filename": "b.png", "empty": null }, "Storage": { "Path": "x" } },
              "StopUpload": true
            }
            """);

        Assert.True(decision.RejectUpload);
        Assert.True(decision.RejectTermination);
        Assert.Equal("custom-id", decision.ChangeId);
        Assert.Equal(new Dictionary<string, string> { ["filename"] = "b.png", ["empty"] = "" }, decision.ChangeMetaData);
        Assert.NotNull(decision.HttpResponse);
        Assert.Equal(403, decision.HttpResponse.StatusCode);
        Assert.Equal("{\"message\":\"no\"}", decision.HttpResponse.Body);
        Assert.Equal("quota", decision.HttpResponse.Header["X-Reason"]);
        Assert.Equal("application/json", decision.HttpResponse.Header["Content-Type"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("""{"HTTPResponse":{},"ChangeFileInfo":{}}""")]
    public void An_empty_response_proceeds_unchanged(string body)
    {
        var decision = Parse(body);

        Assert.Equal(HookDecision.Proceed, decision);
    }

    [Fact]
    public void An_empty_metadata_object_clears_the_metadata_and_a_missing_one_keeps_it()
    {
        Assert.Equal(new Dictionary<string, string>(), Parse("""{"ChangeFileInfo":{"MetaData":{}}}""").ChangeMetaData);
        Assert.Null(Parse("""{"ChangeFileInfo":{"ID":"x"}}""").ChangeMetaData);
    }

    [Fact]
    public void Unknown_fields_are_ignored_and_names_match_case_insensitively_like_go()
    {
        var decision = Parse("""{"future":{"a":[1,2]},"rejectupload":true,"httpResponse":{"statusCode":400},"Extra":1}""");

        Assert.True(decision.RejectUpload);
        Assert.Equal(400, decision.HttpResponse?.StatusCode);
        Assert.Null(decision.HttpResponse?.Body);
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("{\"RejectUpload\":")]
    [InlineData("[true]")]
    [InlineData("{\"RejectUpload\":\"yes\"}")]
    [InlineData("{\"HTTPResponse\":{\"StatusCode\":\"400\"}}")]
    [InlineData("{\"ChangeFileInfo\":{\"MetaData\":[\"a\"]}}")]
    public void A_malformed_response_is_a_failed_invocation(string body)
    {
        var exception = Assert.Throws<HookUnavailableException>(() => Parse(body));

        Assert.Contains("not a tusd hook response", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_response_over_the_limit_is_a_failed_invocation()
    {
        var body = Encoding.UTF8.GetBytes("{\"HTTPResponse\":{\"Body\":\"" + new string('x', 200) + "\"}}");

        var exception = Assert.Throws<HookUnavailableException>(() => TusdHookJson.ParseResponse(body, maxBytes: 100));

        Assert.Contains("more than 100 bytes", exception.Message, StringComparison.Ordinal);
        Assert.NotNull(TusdHookJson.ParseResponse(body, maxBytes: body.Length).HttpResponse);
    }

    [Fact]
    public async Task Bounded_read_stops_at_the_limit()
    {
        using var small = new MemoryStream(new byte[100]);
        using var large = new MemoryStream(new byte[101]);

        Assert.Equal(100, (await BoundedRead.ReadAsync(small, 100, TestContext.Current.CancellationToken)).Length);
        await Assert.ThrowsAsync<HookUnavailableException>(() => BoundedRead.ReadAsync(large, 100, TestContext.Current.CancellationToken));
    }

    private static HookDecision Parse(string body) => TusdHookJson.ParseResponse(Encoding.UTF8.GetBytes(body));
}
