using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.Patching;

/// <summary>
/// Kubernetes strategic merge patch (<c>application/strategic-merge-patch+json</c>), the format kubectl apply/edit send.
/// Maps merge recursively and <c>null</c> deletes a key; lists follow <see cref="PatchMetadata"/>: keyed lists merge
/// element by element, primitive "merge" lists are sets, everything else is replaced.
/// Directives: <c>$patch</c> (merge/replace/delete), <c>$retainKeys</c>, <c>$setElementOrder/&lt;list&gt;</c> and
/// <c>$deleteFromPrimitiveList/&lt;list&gt;</c>. None of them survives into the result.
/// </summary>
public static class StrategicMergePatch
{
    private const string PatchKey = "$patch";
    private const string RetainKeysKey = "$retainKeys";
    private const string SetElementOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

    /// <summary>Returns the patched copy; neither input is modified.</summary>
    public static JsonObject Apply(JsonObject original, JsonObject patch, string group, string kind) =>
        MergeMap((JsonObject)original.DeepClone(), patch, PatchMetadata.Root(group, kind)) ?? new JsonObject();

    /// <summary>
    /// Merges <paramref name="patch"/> into <paramref name="target"/>, which this method owns and mutates.
    /// Returns the resulting map (the same instance unless replaced), or null when the patch deletes it.
    /// </summary>
    private static JsonObject? MergeMap(JsonObject? target, JsonObject patch, PatchSchema schema)
    {
        switch (Directive(patch))
        {
            case "delete":
                return null;
            case "replace":
                return (JsonObject)StripDirectives(patch);
        }

        target ??= new JsonObject();

        // Deletions from primitive lists come first so that the same patch can re-add a value.
        foreach (var (key, value) in patch)
        {
            if (!key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal)) continue;
            if (value is not JsonArray doomed)
                throw ApiException.BadRequest($"{key} must be a list of values");
            if (target[key[DeleteFromPrimitiveListPrefix.Length..]] is JsonArray list)
                RemoveWhere(list, e => doomed.Any(d => JsonNode.DeepEquals(d, e)));
        }

        foreach (var (key, value) in patch)
        {
            if (key.StartsWith('$')) continue;
            if (value is null)
            {
                target.Remove(key);
                continue;
            }

            var existing = target[key];
            JsonNode? merged = value switch
            {
                JsonObject patchMap => MergeMap(existing as JsonObject, patchMap, schema.Child(key)),
                JsonArray patchList => MergeList(existing as JsonArray, patchList, schema.Field(key), schema.Child(key)),
                _ => value.DeepClone(),
            };
            if (merged is null) target.Remove(key);
            else if (!ReferenceEquals(merged, existing)) target[key] = merged;
        }

        foreach (var (key, value) in patch)
        {
            if (!key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal)) continue;
            var field = key[SetElementOrderPrefix.Length..];
            if (value is not JsonArray order)
                throw ApiException.BadRequest($"{key} must be a list");
            if (target[field] is JsonArray list) Reorder(list, order, schema.Field(field));
        }

        if (patch.TryGetPropertyValue(RetainKeysKey, out var retain))
        {
            if (retain is not JsonArray retainList)
                throw ApiException.BadRequest($"{RetainKeysKey} must be a list of field names");
            var keep = retainList.Select(k => k?.GetValue<string>()).ToHashSet();
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList())
                target.Remove(key);
        }

        return target;
    }

    private static JsonArray MergeList(JsonArray? target, JsonArray patch, PatchField field, PatchSchema elementSchema)
    {
        // A {"$patch": "replace"} element, for any list strategy, replaces the list by the other elements.
        if (patch.Any(e => e is JsonObject o && Directive(o) == "replace" && o.Count == 1))
            return new JsonArray(patch.Where(e => !(e is JsonObject o && o.Count == 1 && Directive(o) == "replace"))
                .Select(e => e is null ? null : StripDirectives(e)).ToArray());

        switch (field.Strategy)
        {
            case ListStrategy.Map:
                target ??= new JsonArray();
                foreach (var element in patch)
                    MergeKeyedElement(target, element, field.MergeKey!, elementSchema);
                return target;

            case ListStrategy.Set:
                target ??= new JsonArray();
                foreach (var element in patch)
                {
                    if (element is JsonObject) continue; // stray directives; sets have no other object elements
                    if (!target.Any(e => JsonNode.DeepEquals(e, element))) target.Add(element?.DeepClone());
                }
                return target;

            default:
                return (JsonArray)StripDirectives(patch);
        }
    }

    private static void MergeKeyedElement(JsonArray target, JsonNode? element, string mergeKey, PatchSchema schema)
    {
        if (element is not JsonObject patchElement)
            throw ApiException.BadRequest($"list elements merged by \"{mergeKey}\" must be objects, got {element?.ToJsonString() ?? "null"}");

        var directive = Directive(patchElement);
        if (!patchElement.TryGetPropertyValue(mergeKey, out var keyValue))
            throw ApiException.BadRequest($"map: {patchElement.ToJsonString()} does not contain declared merge key: {mergeKey}");

        if (directive == "delete")
        {
            RemoveWhere(target, e => e is JsonObject o && JsonNode.DeepEquals(o[mergeKey], keyValue));
            return;
        }

        var index = IndexOfKey(target, mergeKey, keyValue);
        if (index < 0)
        {
            var added = MergeMap(null, patchElement, schema);
            if (added != null) target.Add(added);
            return;
        }

        var existing = target[index] as JsonObject;
        var merged = MergeMap(existing, patchElement, schema);
        if (merged is null) target.RemoveAt(index);
        else if (!ReferenceEquals(merged, existing)) target[index] = merged;
    }

    /// <summary>
    /// Applies <c>$setElementOrder</c>: elements named in the order take the slots that such elements already occupy,
    /// in the given order; elements the order does not name (added by someone else) keep their positions.
    /// </summary>
    private static void Reorder(JsonArray list, JsonArray order, PatchField field)
    {
        var mergeKey = field.Strategy == ListStrategy.Map ? field.MergeKey : null;
        JsonNode? identity(JsonNode? e) => mergeKey is null ? e : e is JsonObject o ? o[mergeKey] : null;

        var rank = new List<JsonNode?>();
        foreach (var o in order) rank.Add(identity(o));
        int RankOf(JsonNode? e)
        {
            var id = identity(e);
            return id is null ? -1 : rank.FindIndex(r => JsonNode.DeepEquals(r, id));
        }

        var items = list.ToList();
        var ordered = new Queue<JsonNode?>(items.Where(e => RankOf(e) >= 0).OrderBy(RankOf));
        var result = items.Select(e => RankOf(e) >= 0 ? ordered.Dequeue() : e).ToList();
        list.Clear();
        foreach (var e in result) list.Add(e);
    }

    private static int IndexOfKey(JsonArray list, string mergeKey, JsonNode? keyValue)
    {
        for (var i = 0; i < list.Count; i++)
            if (list[i] is JsonObject o && JsonNode.DeepEquals(o[mergeKey], keyValue))
                return i;
        return -1;
    }

    private static void RemoveWhere(JsonArray list, Func<JsonNode?, bool> predicate)
    {
        for (var i = list.Count - 1; i >= 0; i--)
            if (predicate(list[i])) list.RemoveAt(i);
    }

    private static string? Directive(JsonObject map)
    {
        if (!map.TryGetPropertyValue(PatchKey, out var value) || value is null) return null;
        var directive = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return directive switch
        {
            "delete" or "replace" or "merge" => directive,
            _ => throw ApiException.BadRequest($"Unknown patch type: {value.ToJsonString()}"),
        };
    }

    /// <summary>A copy of patch content that becomes data: directives, nulls and deleted elements are dropped.</summary>
    internal static JsonNode StripDirectives(JsonNode node) => node switch
    {
        JsonObject map => new JsonObject(map
            .Where(p => !p.Key.StartsWith('$') && p.Value is not null)
            .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)StripDirectives(p.Value!)))),
        JsonArray list => new JsonArray(list
            .Where(e => !(e is JsonObject o && o.ContainsKey(PatchKey) && Directive(o) == "delete"))
            .Select(e => e is null ? null : StripDirectives(e)).ToArray()),
        _ => node.DeepClone(),
    };
}
