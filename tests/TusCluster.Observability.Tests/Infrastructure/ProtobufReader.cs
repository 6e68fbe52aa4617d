namespace TusCluster.Observability.Tests.Infrastructure;

/// <summary>Just enough of the protobuf wire format to walk OTLP messages: fields by number, nested messages as bytes.</summary>
internal static class ProtobufReader
{
    public static IEnumerable<(int Field, int WireType, ulong Number, ReadOnlyMemory<byte> Bytes)> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var key = Varint(message.Span, ref position);
            var field = (int)(key >> 3);
            var wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0:
                    yield return (field, wireType, Varint(message.Span, ref position), ReadOnlyMemory<byte>.Empty);
                    break;
                case 1:
                    yield return (field, wireType, BitConverter.ToUInt64(message.Span.Slice(position, 8)), message.Slice(position, 8));
                    position += 8;
                    break;
                case 2:
                    var length = (int)Varint(message.Span, ref position);
                    yield return (field, wireType, 0, message.Slice(position, length));
                    position += length;
                    break;
                case 5:
                    yield return (field, wireType, BitConverter.ToUInt32(message.Span.Slice(position, 4)), message.Slice(position, 4));
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unsupported wire type {wireType}.");
            }
        }
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
