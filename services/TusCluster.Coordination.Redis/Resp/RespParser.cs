using System.Buffers;
using System.Buffers.Text;

namespace TusCluster.Coordination.Redis.Resp;

/// <summary>
/// Parses RESP2 replies from a byte sequence that may end anywhere: a reply that is not complete yet
/// leaves the input untouched, so the caller can wait for more bytes and try again.
/// </summary>
internal static class RespParser
{
    private const int MaxLineLength = 64 * 1024;
    private const int MaxNesting = 32;

    /// <summary>Parses one reply from the start of <paramref name="buffer"/> and slices it off.</summary>
    /// <exception cref="RespProtocolException">The input is not RESP2.</exception>
    public static bool TryParse(ref ReadOnlySequence<byte> buffer, out RespValue? value)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (TryRead(ref reader, 0, out value))
        {
            buffer = buffer.Slice(reader.Position);
            return true;
        }

        value = null;
        return false;
    }

    private static bool TryRead(ref SequenceReader<byte> reader, int depth, out RespValue? value)
    {
        value = null;
        if (depth > MaxNesting)
        {
            throw new RespProtocolException("RESP arrays nested too deeply.");
        }

        if (!reader.TryRead(out var prefix))
        {
            return false;
        }

        switch (prefix)
        {
            case (byte)'+':
                if (!TryReadLine(ref reader, out var simple))
                {
                    return false;
                }

                value = RespValue.SimpleString(System.Text.Encoding.UTF8.GetString(simple));
                return true;
            case (byte)'-':
                if (!TryReadLine(ref reader, out var error))
                {
                    return false;
                }

                value = RespValue.Error(System.Text.Encoding.UTF8.GetString(error));
                return true;
            case (byte)':':
                if (!TryReadNumber(ref reader, out var integer))
                {
                    return false;
                }

                value = RespValue.FromInteger(integer);
                return true;
            case (byte)'$':
                return TryReadBulk(ref reader, out value);
            case (byte)'*':
                return TryReadArray(ref reader, depth, out value);
            default:
                throw new RespProtocolException($"Unexpected RESP type byte 0x{prefix:x2}.");
        }
    }

    private static bool TryReadBulk(ref SequenceReader<byte> reader, out RespValue? value)
    {
        value = null;
        if (!TryReadNumber(ref reader, out var length))
        {
            return false;
        }

        if (length == -1)
        {
            value = RespValue.BulkString(null);
            return true;
        }

        if (length is < 0 or > 512L * 1024 * 1024)
        {
            throw new RespProtocolException($"Invalid bulk string length {length}.");
        }

        if (reader.Remaining < length + 2)
        {
            return false;
        }

        var bytes = new byte[length];
        reader.TryCopyTo(bytes);
        reader.Advance(length);
        if (!reader.IsNext("\r\n"u8, advancePast: true))
        {
            throw new RespProtocolException("A bulk string does not end with CRLF.");
        }

        value = RespValue.BulkString(bytes);
        return true;
    }

    private static bool TryReadArray(ref SequenceReader<byte> reader, int depth, out RespValue? value)
    {
        value = null;
        if (!TryReadNumber(ref reader, out var count))
        {
            return false;
        }

        if (count == -1)
        {
            value = RespValue.Array(null);
            return true;
        }

        if (count is < 0 or > int.MaxValue)
        {
            throw new RespProtocolException($"Invalid array length {count}.");
        }

        // Never trust the count for an allocation: every element takes at least three bytes.
        var elements = new List<RespValue>((int)Math.Min(count, reader.Remaining / 3));
        for (var i = 0; i < count; i++)
        {
            if (!TryRead(ref reader, depth + 1, out var element))
            {
                return false;
            }

            elements.Add(element!);
        }

        value = RespValue.Array(elements);
        return true;
    }

    private static bool TryReadNumber(ref SequenceReader<byte> reader, out long number)
    {
        number = 0;
        if (!TryReadLine(ref reader, out var line))
        {
            return false;
        }

        if (!Utf8Parser.TryParse(line, out number, out var consumed) || consumed != line.Length)
        {
            throw new RespProtocolException("A RESP length or integer is not a number.");
        }

        return true;
    }

    private static bool TryReadLine(ref SequenceReader<byte> reader, out byte[] line)
    {
        line = [];
        if (!reader.TryReadTo(out ReadOnlySequence<byte> sequence, "\r\n"u8, advancePastDelimiter: true))
        {
            if (reader.Remaining > MaxLineLength)
            {
                throw new RespProtocolException("A RESP line is too long.");
            }

            return false;
        }

        line = sequence.ToArray();
        return true;
    }
}
