using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Orchestrator.Core.Controllers.Deployments;

/// <summary>
/// The <c>pod-template-hash</c> that names a Deployment's ReplicaSets and labels their pods, and the template
/// comparison that decides which ReplicaSet is "new".
/// <para>
/// Upstream hashes the Go struct of the template with FNV-32a (plus the collision count) and spells the decimal
/// value in a vowel-free alphabet so that the result never forms words. We cannot reproduce Go's struct dump, so we
/// hash a canonical JSON form instead: object keys sorted, nulls, empty objects and empty arrays dropped (clients
/// that serialise typed structs send <c>"creationTimestamp": null</c> and <c>"resources": {}</c>; they mean the same as
/// absent fields). The value is stable across restarts and processes, which is all the name needs.
/// </para>
/// </summary>
public static class PodTemplateHash
{
    public const string Label = "pod-template-hash";

    private const string SafeAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const uint FnvOffset = 2166136261;
    private const uint FnvPrime = 16777619;

    /// <summary>The hash of <paramref name="template"/> (a PodTemplateSpec), varied by the deployment's collisionCount.</summary>
    public static string Compute(JsonObject template, long? collisionCount)
    {
        var hash = FnvOffset;
        foreach (var b in Encoding.UTF8.GetBytes(Canonical(template)?.ToJsonString() ?? "{}"))
            hash = (hash ^ b) * FnvPrime;
        if (collisionCount is { } count)
        {
            // As upstream: the count as a little-endian uint32 in an 8-byte buffer.
            Span<byte> buffer = stackalloc byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(buffer, unchecked((uint)count));
            foreach (var b in buffer) hash = (hash ^ b) * FnvPrime;
        }
        return SafeEncode(hash.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Maps every character into an alphabet without vowels (and without look-alikes such as 0/o, 1/l).</summary>
    public static string SafeEncode(string value)
    {
        var chars = new char[value.Length];
        for (var i = 0; i < value.Length; i++) chars[i] = SafeAlphabet[value[i] % SafeAlphabet.Length];
        return new string(chars);
    }

    /// <summary>
    /// Whether two pod templates are the same apart from the <c>pod-template-hash</c> label: how a Deployment finds the
    /// ReplicaSet that runs its current template (also after <c>kubectl rollout undo</c> copied an old one back).
    /// </summary>
    public static bool EqualIgnoringHash(JsonNode? a, JsonNode? b) =>
        string.Equals(Canonical(WithoutHashLabel(a))?.ToJsonString(), Canonical(WithoutHashLabel(b))?.ToJsonString(), StringComparison.Ordinal);

    /// <summary>A copy with sorted keys and without nulls, empty objects and empty arrays; null when nothing is left.</summary>
    public static JsonNode? Canonical(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var result = new JsonObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                    if (Canonical(value) is { } child) result[key] = child;
                return result.Count == 0 ? null : result;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                    items.Add(Canonical(item) ?? new JsonObject());
                return items.Count == 0 ? null : items;
            default:
                return node.DeepClone();
        }
    }

    private static JsonNode? WithoutHashLabel(JsonNode? template)
    {
        if (template?["metadata"]?["labels"] is not JsonObject labels || !labels.ContainsKey(Label)) return template;
        var copy = template.DeepClone();
        ((JsonObject)copy["metadata"]!["labels"]!).Remove(Label);
        return copy;
    }
}
