using System.Buffers;
using System.Text;
using TusCluster.Coordination.Redis.Resp;

namespace TusCluster.Coordination.Redis.Tests;

public sealed class RespParserTests
{
    private static RespValue ParseWhole(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text));
        Assert.True(RespParser.TryParse(ref buffer, out var value));
        Assert.Equal(0, buffer.Length);
        return value!;
    }

    [Fact]
    public void Parses_a_simple_string()
    {
        var value = ParseWhole("+OK\r\n");

        Assert.Equal(RespType.SimpleString, value.Type);
        Assert.Equal("OK", value.AsString());
    }

    [Fact]
    public void Parses_an_error()
    {
        var value = ParseWhole("-WRONGPASS invalid username-password pair\r\n");

        Assert.True(value.IsError);
        Assert.Equal("WRONGPASS invalid username-password pair", value.Text);
    }

    [Theory]
    [InlineData(":0\r\n", 0)]
    [InlineData(":1000\r\n", 1000)]
    [InlineData(":-42\r\n", -42)]
    [InlineData(":9223372036854775807\r\n", long.MaxValue)]
    public void Parses_integers(string text, long expected)
    {
        var value = ParseWhole(text);

        Assert.Equal(RespType.Integer, value.Type);
        Assert.Equal(expected, value.Integer);
    }

    [Fact]
    public void Parses_bulk_strings_including_empty_binary_and_null()
    {
        Assert.Equal("hello", ParseWhole("$5\r\nhello\r\n").AsString());
        Assert.Equal(string.Empty, ParseWhole("$0\r\n\r\n").AsString());
        Assert.Equal("a\r\nb", ParseWhole("$4\r\na\r\nb\r\n").AsString());
        Assert.Equal("{\"k\":\"ä\"}", ParseWhole("$10\r\n{\"k\":\"ä\"}\r\n").AsString());

        var nil = ParseWhole("$-1\r\n");
        Assert.Equal(RespType.BulkString, nil.Type);
        Assert.True(nil.IsNull);
        Assert.Null(nil.Bulk);
    }

    [Fact]
    public void Parses_arrays_nested_empty_and_null()
    {
        var value = ParseWhole("*3\r\n:1\r\n*2\r\n$3\r\nfoo\r\n$-1\r\n*0\r\n");

        Assert.Equal(RespType.Array, value.Type);
        Assert.Equal(3, value.Elements!.Count);
        Assert.Equal(1, value.Elements[0].Integer);
        Assert.Equal("foo", value.Elements[1].Elements![0].AsString());
        Assert.True(value.Elements[1].Elements![1].IsNull);
        Assert.Empty(value.Elements[2].Elements!);

        var nil = ParseWhole("*-1\r\n");
        Assert.True(nil.IsNull);
        Assert.Null(nil.Elements);
    }

    [Fact]
    public void An_error_inside_an_array_stays_an_element()
    {
        var value = ParseWhole("*2\r\n+OK\r\n-ERR inner\r\n");

        Assert.Equal("OK", value.Elements![0].AsString());
        Assert.True(value.Elements[1].IsError);
    }

    [Fact]
    public void Parses_several_replies_from_one_buffer_in_order()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("+A\r\n:2\r\n$1\r\nC\r\n"));
        var seen = new List<string?>();

        while (RespParser.TryParse(ref buffer, out var value))
        {
            seen.Add(value!.AsString());
        }

        Assert.Equal(["A", "2", "C"], seen);
        Assert.Equal(0, buffer.Length);
    }

    public static TheoryData<string> Replies => new()
    {
        "+OK\r\n",
        "-ERR unknown command 'FOO'\r\n",
        ":-123456789\r\n",
        "$11\r\nhello world\r\n",
        "$-1\r\n",
        "*-1\r\n",
        "*0\r\n",
        "*4\r\n:1\r\n$2\r\nab\r\n*2\r\n+x\r\n$-1\r\n-E\r\n",
        "*4\r\n$8\r\npmessage\r\n$6\r\ntus:h*\r\n$8\r\ntus:h:ab\r\n$1\r\n1\r\n",
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void Input_split_at_every_byte_parses_only_when_complete(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var expected = ParseWhole(text).ToString();

        for (var split = 0; split < bytes.Length; split++)
        {
            var head = new ReadOnlySequence<byte>(bytes, 0, split);
            Assert.False(RespParser.TryParse(ref head, out _), $"parsed a reply from only {split} of {bytes.Length} bytes");
            Assert.Equal(split, head.Length);

            var pieces = split == 0 ? [bytes] : new[] { bytes[..split], bytes[split..] };
            var whole = ChunkedSequence.Of(pieces);
            Assert.True(RespParser.TryParse(ref whole, out var value), $"no reply when split at {split}");
            Assert.Equal(expected, value!.ToString());
            Assert.Equal(0, whole.Length);
        }
    }

    [Theory]
    [MemberData(nameof(Replies))]
    public void Input_arriving_one_byte_at_a_time_parses(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var whole = ChunkedSequence.Of([.. bytes.Select(b => new[] { b })]);

        Assert.True(RespParser.TryParse(ref whole, out var value));
        Assert.Equal(ParseWhole(text).ToString(), value!.ToString());
    }

    [Theory]
    [InlineData("?what\r\n")]
    [InlineData(":12x\r\n")]
    [InlineData("$3\r\nabcde\r\n")]
    [InlineData("$-7\r\n")]
    public void Input_that_is_not_resp_is_rejected(string text)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text));

        Assert.Throws<RespProtocolException>(() => RespParser.TryParse(ref buffer, out _));
    }

    [Fact]
    public void Commands_are_written_as_arrays_of_bulk_strings()
    {
        var output = new ArrayBufferWriter<byte>();

        RespWriter.WriteCommand(output, ["SET", "k", "vä", string.Empty]);

        Assert.Equal("*4\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nvä\r\n$0\r\n\r\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData("127.0.0.1:6379", "127.0.0.1", 6379)]
    [InlineData("redis.example:6380", "redis.example", 6380)]
    [InlineData("[::1]:7000", "::1", 7000)]
    public void Endpoints_parse(string text, string host, int port)
    {
        Assert.True(RedisEndpoint.TryParse(text, out var endpoint));
        Assert.Equal(new RedisEndpoint(host, port), endpoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("localhost:")]
    [InlineData(":6379")]
    [InlineData("::1:6379")]
    [InlineData("host:70000")]
    [InlineData("host:-1")]
    public void Bad_endpoints_do_not_parse(string text)
    {
        Assert.False(RedisEndpoint.TryParse(text, out _));
    }
}
