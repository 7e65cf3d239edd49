using System.Text.Json;
using System.Text.Json.Nodes;

namespace Orchestrator.Tests.Api.Protobuf;

/// <summary>
/// Comparison form for golden JSON. kubectl's JSON printer (Go encoding/json) prints non-pointer structs even when
/// empty (<c>status: {}</c>, <c>resources: {}</c>, <c>strategy: {}</c>, <c>loadBalancer: {}</c>) and a zero
/// metav1.Time as <c>creationTimestamp: null</c>; the decoder deliberately omits both, since absent, null and
/// empty mean the same to the server. So both sides drop null-valued and (after recursion) empty-object-valued
/// properties, and keys are sorted so the assertion shows a readable diff. Pointer fields that must stay as
/// <c>{}</c> (e.g. <c>emptyDir</c>) are checked without this normalisation in <c>SchemaDecoderTests</c>.
/// </summary>
internal static class JsonCanonical
{
    public static string Of(JsonNode? node) =>
        Normalise(node)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? "null";

    private static JsonNode? Normalise(JsonNode? node) => node switch
    {
        JsonObject obj => NormaliseObject(obj),
        JsonArray array => new JsonArray([.. array.Select(Normalise)]),
        null => null,
        _ => node.DeepClone(),
    };

    private static JsonObject NormaliseObject(JsonObject obj)
    {
        var result = new JsonObject();
        foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var normalised = Normalise(value);
            if (normalised is null || normalised is JsonObject { Count: 0 }) continue;
            result[key] = normalised;
        }
        return result;
    }
}
