using System.Text.Json.Nodes;

namespace Orchestrator.Core.Storage;

/// <summary>
/// One object as stored: its key, the revision that last wrote it (its resourceVersion), and its JSON encoding.
/// The bytes are the source of truth; <see cref="Parse"/> gives each caller a private mutable tree.
/// </summary>
public sealed record StoredObject(string Key, long Revision, byte[] Json)
{
    public JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();
}
