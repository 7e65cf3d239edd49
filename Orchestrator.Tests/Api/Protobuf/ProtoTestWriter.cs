using System.Text;

namespace Orchestrator.Tests.Api.Protobuf;

/// <summary>
/// Minimal protobuf encoder for hand-built test inputs that kubectl cannot be made to send (pointer zero values,
/// volumes, probes, malformed wire types). Tests only; the server never encodes protobuf.
/// </summary>
internal sealed class ProtoTestWriter
{
    private readonly MemoryStream _buffer = new();

    public ProtoTestWriter Varint(int field, ulong value) => Key(field, 0).Raw(EncodeVarint(value));

    public ProtoTestWriter Varint(int field, long value) => Varint(field, unchecked((ulong)value));

    public ProtoTestWriter Bytes(int field, byte[] value) => Key(field, 2).Raw(EncodeVarint((ulong)value.Length)).Raw(value);

    public ProtoTestWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoTestWriter Message(int field, Action<ProtoTestWriter> build)
    {
        var inner = new ProtoTestWriter();
        build(inner);
        return Bytes(field, inner.ToArray());
    }

    /// <summary>map&lt;string,string&gt; entry, as Go writes one per key.</summary>
    public ProtoTestWriter MapEntry(int field, string key, string value) => Message(field, e => e.String(1, key).String(2, value));

    public ProtoTestWriter Fixed32(int field, uint value) => Key(field, 5).Raw(BitConverter.GetBytes(value));

    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>Wraps <paramref name="raw"/> in the <c>k8s\0</c> + runtime.Unknown envelope.</summary>
    public static byte[] Envelope(string apiVersion, string kind, byte[] raw, string contentEncoding = "")
    {
        var unknown = new ProtoTestWriter()
            .Message(1, t => t.String(1, apiVersion).String(2, kind))
            .Bytes(2, raw)
            .String(3, contentEncoding)
            .String(4, "")
            .ToArray();
        return [.. "k8s\0"u8.ToArray(), .. unknown];
    }

    private ProtoTestWriter Key(int field, int wireType) => Raw(EncodeVarint((ulong)(field << 3 | wireType)));

    private ProtoTestWriter Raw(byte[] bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    private static byte[] EncodeVarint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        } while (value != 0);
        return [.. bytes];
    }
}
