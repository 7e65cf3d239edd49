using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Agent.Pods.Spec;

/// <summary>
/// A stable hash of a container's spec: SHA-256 over its canonical JSON (object keys sorted at every depth, no
/// whitespace), first 16 hex digits. Key order, formatting and a round trip through YAML do not change it; any
/// change of a value does, which tells the pod worker that the running container is outdated.
/// </summary>
public static class ContainerSpecHash
{
    public static string Of(JsonObject container)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            WriteCanonical(writer, container);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.ToArray()))[..16];
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonNode? node)
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
                    WriteCanonical(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) WriteCanonical(writer, item);
                writer.WriteEndArray();
                break;
            default:
                // Numbers keep their JSON text (1 and 1.0 differ, as they would in the stored object).
                node.WriteTo(writer);
                break;
        }
    }
}
