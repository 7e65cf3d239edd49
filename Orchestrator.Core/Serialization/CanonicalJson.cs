using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// JSON with object keys sorted (ordinal) at every depth and no whitespace, so that key order and formatting never
/// change a hash taken over it. Nulls are kept and numbers keep their JSON text (1 and 1.0 differ, as they would in
/// the stored object).
/// </summary>
public static class CanonicalJson
{
    public static byte[] Utf8(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, node);
        return buffer.ToArray();
    }

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }
}
