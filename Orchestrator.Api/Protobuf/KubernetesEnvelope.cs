namespace Orchestrator.Api.Protobuf;

/// <summary>
/// The wrapper every Kubernetes protobuf body carries: the magic <c>k8s\0</c> followed by a <c>runtime.Unknown</c>
/// message (typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3, contentType = 4). The GVK lives
/// here rather than in the object because protobuf objects do not serialise their own TypeMeta.
/// </summary>
public sealed record KubernetesEnvelope(string ApiVersion, string Kind, byte[] Raw, string ContentEncoding, string ContentType)
{
    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    public static KubernetesEnvelope Parse(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
            throw new ProtobufFormatException("protobuf body does not start with the Kubernetes magic prefix \"k8s\\x00\"");

        string apiVersion = "", kind = "", contentEncoding = "", contentType = "";
        var raw = ReadOnlySpan<byte>.Empty;
        var reader = new ProtoReader(body[Magic.Length..]);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1 when wire == WireType.LengthDelimited:
                    ReadTypeMeta(reader.ReadLengthDelimited(), ref apiVersion, ref kind);
                    break;
                case 2 when wire == WireType.LengthDelimited:
                    raw = reader.ReadLengthDelimited();
                    break;
                case 3 when wire == WireType.LengthDelimited:
                    contentEncoding = ProtoText.Utf8(reader.ReadLengthDelimited());
                    break;
                case 4 when wire == WireType.LengthDelimited:
                    contentType = ProtoText.Utf8(reader.ReadLengthDelimited());
                    break;
                case 1 or 2 or 3 or 4:
                    throw new ProtobufFormatException($"runtime.Unknown field {field} has wire type {wire}, expected length-delimited");
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        if (kind.Length == 0)
            throw new ProtobufFormatException("protobuf envelope does not name a kind");
        return new KubernetesEnvelope(apiVersion, kind, raw.ToArray(), contentEncoding, contentType);
    }

    private static void ReadTypeMeta(ReadOnlySpan<byte> data, ref string apiVersion, ref string kind)
    {
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field is 1 or 2 && wire == WireType.LengthDelimited)
            {
                var text = ProtoText.Utf8(reader.ReadLengthDelimited());
                if (field == 1) apiVersion = text; else kind = text;
            }
            else if (field is 1 or 2)
                throw new ProtobufFormatException($"runtime.TypeMeta field {field} has wire type {wire}, expected length-delimited");
            else
                reader.Skip(wire);
        }
    }
}
