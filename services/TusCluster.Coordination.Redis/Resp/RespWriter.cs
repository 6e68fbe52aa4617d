using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace TusCluster.Coordination.Redis.Resp;

/// <summary>Writes a command as a RESP2 array of bulk strings.</summary>
internal static class RespWriter
{
    public static void WriteCommand(IBufferWriter<byte> output, IReadOnlyList<string> arguments)
    {
        WriteHeader(output, (byte)'*', arguments.Count);
        foreach (var argument in arguments)
        {
            var length = Encoding.UTF8.GetByteCount(argument);
            WriteHeader(output, (byte)'$', length);
            var span = output.GetSpan(length + 2);
            Encoding.UTF8.GetBytes(argument, span);
            span[length] = (byte)'\r';
            span[length + 1] = (byte)'\n';
            output.Advance(length + 2);
        }
    }

    private static void WriteHeader(IBufferWriter<byte> output, byte prefix, int number)
    {
        var span = output.GetSpan(16);
        span[0] = prefix;
        Utf8Formatter.TryFormat(number, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        output.Advance(written + 3);
    }
}
