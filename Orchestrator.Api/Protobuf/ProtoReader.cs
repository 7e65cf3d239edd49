namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Forward-only reader over one protobuf message. Every read is bounds-checked and reports a
/// <see cref="ProtobufFormatException"/>, never an index or overflow exception, because the bytes come straight
/// from an HTTP request body.
/// </summary>
public ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    public readonly bool AtEnd => _pos >= _data.Length;

    /// <summary>Reads the next field key; false at the end of the message.</summary>
    public bool TryReadTag(out int fieldNumber, out WireType wireType)
    {
        fieldNumber = 0;
        wireType = default;
        if (AtEnd) return false;
        var key = ReadVarint();
        var number = key >> 3;
        // Field numbers are 29-bit; 0 is reserved and means the input is garbage.
        if (number == 0 || number > 0x1FFF_FFFF)
            throw new ProtobufFormatException($"invalid protobuf field number {number} at offset {_pos}");
        var type = (int)(key & 7);
        if (type is not (0 or 1 or 2 or 5))
            throw new ProtobufFormatException($"unsupported protobuf wire type {type} for field {number}");
        fieldNumber = (int)number;
        wireType = (WireType)type;
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        // A 64-bit varint has at most 10 bytes; the 10th may only carry the top bit.
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_pos >= _data.Length)
                throw new ProtobufFormatException("truncated protobuf varint");
            var b = _data[_pos++];
            if (shift == 63 && b > 1)
                throw new ProtobufFormatException("protobuf varint overflows 64 bits");
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
        }
        throw new ProtobufFormatException("protobuf varint is longer than 10 bytes");
    }

    public ulong ReadFixed64() => System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public uint ReadFixed32() => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _pos))
            throw new ProtobufFormatException($"protobuf length {length} runs past the end of the message");
        return Take((int)length);
    }

    /// <summary>Skips a field the schema does not know, as protobuf requires for forward compatibility.</summary>
    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint: ReadVarint(); break;
            case WireType.Fixed64: Take(8); break;
            case WireType.LengthDelimited: ReadLengthDelimited(); break;
            case WireType.Fixed32: Take(4); break;
            default: throw new ProtobufFormatException($"unsupported protobuf wire type {(int)wireType}");
        }
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _pos)
            throw new ProtobufFormatException("truncated protobuf field");
        var slice = _data.Slice(_pos, count);
        _pos += count;
        return slice;
    }
}
