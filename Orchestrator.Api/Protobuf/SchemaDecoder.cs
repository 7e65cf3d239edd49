using System.Globalization;
using System.Text.Json.Nodes;

namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Turns protobuf message bytes into the Kubernetes JSON form of the same object by walking a
/// <see cref="ProtoMessage"/> table. Fields the table does not list are skipped (protobuf forward compatibility);
/// a field whose wire type contradicts the table is malformed input.
/// </summary>
public sealed class SchemaDecoder(SchemaCatalog catalog)
{
    // The tables are acyclic, so real bodies never get close; this only guards against a future cyclic table.
    private const int MaxDepth = 64;

    /// <summary>Decodes <paramref name="data"/> and adds its fields to <paramref name="target"/>.</summary>
    public void DecodeInto(JsonObject target, ReadOnlySpan<byte> data, ProtoMessage schema) => DecodeInto(target, data, schema, 0);

    private void DecodeInto(JsonObject target, ReadOnlySpan<byte> data, ProtoMessage schema, int depth)
    {
        if (depth > MaxDepth)
            throw new ProtobufFormatException($"protobuf message nesting exceeds {MaxDepth} levels");
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var number, out var wire))
        {
            if (!schema.Fields.TryGetValue(number, out var field))
            {
                reader.Skip(wire);
                continue;
            }
            switch (field.Type)
            {
                case ProtoFieldType.Msg:
                    DecodeMessageField(target, ReadBytes(ref reader, wire, schema, field), schema, field, depth);
                    break;
                case ProtoFieldType.StrMap or ProtoFieldType.BytesMap or ProtoFieldType.QtyMap:
                    DecodeMapEntry(target, ReadBytes(ref reader, wire, schema, field), schema, field);
                    break;
                default:
                    DecodeScalarField(target, ref reader, wire, schema, field);
                    break;
            }
        }
    }

    private void DecodeMessageField(JsonObject target, ReadOnlySpan<byte> data, ProtoMessage parent, ProtoField field, int depth)
    {
        var schema = catalog.Message(field.MessageName!);
        if (field.Inline)
        {
            // Embedded Go struct: its JSON fields sit directly in the parent object.
            DecodeInto(target, data, schema, depth + 1);
            return;
        }
        if (field.Repeated)
        {
            // Array elements are kept even when empty: position is meaningful.
            var element = new JsonObject();
            DecodeInto(element, data, schema, depth + 1);
            ArrayFor(target, parent, field).Add(element);
            return;
        }
        // A singular message seen twice is merged, as protobuf specifies.
        var existing = target[field.JsonName] as JsonObject;
        var obj = existing ?? new JsonObject();
        DecodeInto(obj, data, schema, depth + 1);
        if (existing == null && (obj.Count > 0 || field.KeepsZero))
            target[field.JsonName] = obj;
    }

    private static void DecodeMapEntry(JsonObject target, ReadOnlySpan<byte> entry, ProtoMessage parent, ProtoField field)
    {
        // Go leaves a missing key or value at its zero value, so an entry without one still counts.
        var key = "";
        JsonNode value = "";
        var reader = new ProtoReader(entry);
        while (reader.TryReadTag(out var number, out var wire))
        {
            if (number is not (1 or 2))
            {
                reader.Skip(wire);
                continue;
            }
            if (wire != WireType.LengthDelimited)
                throw WrongWire(parent, field, wire, WireType.LengthDelimited);
            var bytes = reader.ReadLengthDelimited();
            if (number == 1)
                key = ProtoText.Utf8(bytes);
            else
                value = field.Type switch
                {
                    ProtoFieldType.BytesMap => Convert.ToBase64String(bytes),
                    ProtoFieldType.QtyMap => ReadQuantity(bytes),
                    _ => ProtoText.Utf8(bytes),
                };
        }
        if (target[field.JsonName] is not JsonObject map)
        {
            if (target[field.JsonName] != null)
                throw new ProtobufFormatException($"{parent.Name}.{field.JsonName} mixes map entries with another value");
            target[field.JsonName] = map = new JsonObject();
        }
        map[key] = value;
    }

    private static void DecodeScalarField(JsonObject target, ref ProtoReader reader, WireType wire, ProtoMessage parent, ProtoField field)
    {
        if (field.Repeated)
        {
            var array = ArrayFor(target, parent, field);
            if (wire == WireType.LengthDelimited && field.Type is ProtoFieldType.Bool or ProtoFieldType.I32 or ProtoFieldType.I64)
            {
                // Packed encoding: a run of varints in one length-delimited field.
                var packed = new ProtoReader(reader.ReadLengthDelimited());
                while (!packed.AtEnd)
                    array.Add(VarintValue(packed.ReadVarint(), field.Type).Node);
                return;
            }
            array.Add(ReadScalar(ref reader, wire, parent, field).Node);
            return;
        }
        var (node, zero) = ReadScalar(ref reader, wire, parent, field);
        if (node == null || (zero && !field.KeepsZero))
            target.Remove(field.JsonName);
        else
            target[field.JsonName] = node;
    }

    private static (JsonNode? Node, bool Zero) ReadScalar(ref ProtoReader reader, WireType wire, ProtoMessage parent, ProtoField field)
    {
        switch (field.Type)
        {
            case ProtoFieldType.Bool or ProtoFieldType.I32 or ProtoFieldType.I64:
                if (wire != WireType.Varint)
                    throw WrongWire(parent, field, wire, WireType.Varint);
                return VarintValue(reader.ReadVarint(), field.Type);
            case ProtoFieldType.Str:
            {
                var s = ProtoText.Utf8(ReadBytes(ref reader, wire, parent, field));
                return (s, s.Length == 0);
            }
            case ProtoFieldType.Bytes:
            {
                var b = ReadBytes(ref reader, wire, parent, field);
                return (Convert.ToBase64String(b), b.IsEmpty);
            }
            case ProtoFieldType.Qty:
            {
                var q = ReadQuantity(ReadBytes(ref reader, wire, parent, field));
                return (q, q.Length == 0);
            }
            case ProtoFieldType.IntOrStr:
                return ReadIntOrString(ReadBytes(ref reader, wire, parent, field), parent, field);
            case ProtoFieldType.Time:
                // A zero metav1.Time marshals to an empty message and to JSON null; null and absent mean the same.
                var t = ReadTime(ReadBytes(ref reader, wire, parent, field));
                return (t, t == null);
            default:
                throw new InvalidOperationException($"{parent.Name}.{field.JsonName}: {field.Type} is not a scalar type");
        }
    }

    private static (JsonNode Node, bool Zero) VarintValue(ulong raw, ProtoFieldType type) => type switch
    {
        ProtoFieldType.Bool => (JsonValue.Create(raw != 0), raw == 0),
        // Go casts the varint to int32, so a negative int32 (sent as a 10-byte varint) comes back intact.
        ProtoFieldType.I32 => (JsonValue.Create(unchecked((int)raw)), unchecked((int)raw) == 0),
        _ => (JsonValue.Create(unchecked((long)raw)), raw == 0),
    };

    private static string ReadQuantity(ReadOnlySpan<byte> data)
    {
        var value = "";
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var number, out var wire))
        {
            if (number == 1 && wire == WireType.LengthDelimited)
                value = ProtoText.Utf8(reader.ReadLengthDelimited());
            else if (number == 1)
                throw new ProtobufFormatException($"resource.Quantity field 1 has wire type {wire}, expected length-delimited");
            else
                reader.Skip(wire);
        }
        return value;
    }

    private static (JsonNode Node, bool Zero) ReadIntOrString(ReadOnlySpan<byte> data, ProtoMessage parent, ProtoField field)
    {
        ulong type = 0;
        var intVal = 0;
        var strVal = "";
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var number, out var wire))
        {
            switch (number)
            {
                case 1 when wire == WireType.Varint: type = reader.ReadVarint(); break;
                case 2 when wire == WireType.Varint: intVal = unchecked((int)reader.ReadVarint()); break;
                case 3 when wire == WireType.LengthDelimited: strVal = ProtoText.Utf8(reader.ReadLengthDelimited()); break;
                case 1 or 2 or 3: throw new ProtobufFormatException($"{parent.Name}.{field.JsonName}: IntOrString field {number} has wire type {wire}");
                default: reader.Skip(wire); break;
            }
        }
        return type switch
        {
            0 => (JsonValue.Create(intVal), intVal == 0),
            1 => (JsonValue.Create(strVal), strVal.Length == 0),
            _ => throw new ProtobufFormatException($"{parent.Name}.{field.JsonName}: IntOrString type {type} is neither 0 (int) nor 1 (string)"),
        };
    }

    private static JsonNode? ReadTime(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return null;
        long seconds = 0;
        var reader = new ProtoReader(data);
        while (reader.TryReadTag(out var number, out var wire))
        {
            if (number is 1 or 2 && wire != WireType.Varint)
                throw new ProtobufFormatException($"Timestamp field {number} has wire type {wire}, expected varint");
            if (number == 1)
                seconds = unchecked((long)reader.ReadVarint());
            else
                reader.Skip(wire); // nanos: metav1.Time's JSON form has second precision
        }
        if (seconds < DateTimeOffset.MinValue.ToUnixTimeSeconds() || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            throw new ProtobufFormatException($"Timestamp seconds {seconds} is out of range");
        return DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static ReadOnlySpan<byte> ReadBytes(ref ProtoReader reader, WireType wire, ProtoMessage parent, ProtoField field) =>
        wire == WireType.LengthDelimited ? reader.ReadLengthDelimited() : throw WrongWire(parent, field, wire, WireType.LengthDelimited);

    private static JsonArray ArrayFor(JsonObject target, ProtoMessage parent, ProtoField field)
    {
        switch (target[field.JsonName])
        {
            case JsonArray existing:
                return existing;
            case null:
                var array = new JsonArray();
                target[field.JsonName] = array;
                return array;
            default:
                throw new ProtobufFormatException($"{parent.Name}.{field.JsonName} mixes repeated values with another value");
        }
    }

    private static ProtobufFormatException WrongWire(ProtoMessage parent, ProtoField field, WireType actual, WireType expected) =>
        new($"{parent.Name}.{field.JsonName} (field {field.Number}) has wire type {actual}, expected {expected}");
}
