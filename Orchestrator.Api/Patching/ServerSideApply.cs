using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Patching;

/// <summary>
/// Server-side apply (<c>application/apply-patch+yaml</c>) and field ownership in <c>metadata.managedFields</c>.
/// <para>
/// Ownership is tracked per path in the FieldsV1 encoding. Lists merge and are owned per element when
/// <see cref="PatchMetadata"/> gives them a merge key (or set semantics); other lists are atomic, owned as one leaf.
/// Fields the server owns (<see cref="IgnoredMetadata"/>), <c>apiVersion</c>, <c>kind</c> and, for the main resource,
/// <c>status</c> are never owned.
/// </para>
/// </summary>
public static class ServerSideApply
{
    private static readonly FrozenSet<string> IgnoredMetadata = new[]
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// Applies <paramref name="applied"/> as <paramref name="manager"/>:
    /// 1. conflicts: fields another manager owns whose value the apply would change → 409, unless forced, when
    ///    the other managers lose them;
    /// 2. merge the applied configuration into the live object;
    /// 3. remove fields this manager applied last time but no longer does, unless another manager owns them;
    /// 4. the manager's Apply entry becomes exactly the applied field set.
    /// </summary>
    /// <param name="live">The stored object, or null when apply creates it.</param>
    /// <param name="subresource">"status" for applies to the status subresource (only status is owned then).</param>
    public static ApplyResult Apply(JsonObject? live, JsonObject applied, string manager, bool force, DateTimeOffset now,
        string? subresource = null)
    {
        var apiVersion = applied.ApiVersion() ?? live?.ApiVersion() ?? "";
        var schema = SchemaOf(apiVersion, applied.Kind() ?? live?.Kind() ?? "");
        var isStatus = subresource == "status";

        var config = applied.Clone();
        config["metadata"]?.AsObject().Remove("managedFields");
        if (isStatus)
            foreach (var key in config.Select(p => p.Key).Where(k => k != "status").ToList()) config.Remove(key);
        else
            config.Remove("status");

        var baseObject = live?.Clone() ?? new JsonObject();
        var entries = ManagedFieldsEntry.Read(baseObject);
        baseObject["metadata"]?.AsObject().Remove("managedFields");

        var appliedSet = Collect(config, schema, isStatus);
        var merged = MergeWithSchema(baseObject, config, schema);

        var self = entries.FirstOrDefault(e => e.Is(manager, "Apply", null, subresource));
        var others = entries.Where(e => e != self).ToList();

        // 1. Conflicts.
        var conflicts = new List<(ManagedFieldsEntry Owner, IReadOnlyList<string> Path)>();
        foreach (var other in others)
            foreach (var path in appliedSet.Paths)
                if (other.Fields.Contains(path) && Differs(baseObject, merged, path))
                    conflicts.Add((other, path));
        if (conflicts.Count > 0)
        {
            if (!force) throw ConflictError(conflicts);
            foreach (var (owner, path) in conflicts) owner.Fields.Remove(path);
        }

        // 3. Fields no longer applied and owned by nobody else go away.
        if (self != null)
        {
            // Shallowest first: removing a list element takes its fields with it, while removing its key field
            // first would leave the element impossible to find.
            foreach (var path in self.Fields.Paths.OrderBy(p => p.Count).ToList())
            {
                if (appliedSet.Contains(path) || appliedSet.HasDescendant(path)) continue;
                if (others.Any(o => o.Fields.Contains(path))) continue;
                if (FieldPath.Remove(merged, path)) PruneEmptyParents(merged, path, entries);
            }
        }

        // 4. Ownership. A no-op apply keeps the old timestamp, so that re-applying an unchanged manifest leaves the
        //    stored object byte-for-byte equal and the caller can skip the write.
        var changed = !JsonNode.DeepEquals(baseObject, merged);
        if (self == null)
        {
            self = new ManagedFieldsEntry { Manager = manager, Operation = "Apply", Subresource = subresource };
            entries.Add(self);
        }
        var sameOwnership = self.Fields.SetEquals(appliedSet) && self.ApiVersion == apiVersion && conflicts.Count == 0;
        if (changed || !sameOwnership || self.Time is null) self.Time = ManagedFieldsEntry.FormatTime(now);
        self.Fields = appliedSet;
        self.ApiVersion = apiVersion;
        DropVanishedFields(entries, merged);

        ManagedFieldsEntry.Write(merged, entries);
        return new ApplyResult(merged, live == null, changed);
    }

    /// <summary>
    /// Records ownership for a write that is not an apply (create, update, patch): <paramref name="manager"/> takes
    /// the fields the write added or changed; other managers lose those and nothing else; fields the write removed
    /// are owned by nobody. Returns a copy of <paramref name="newObj"/> with the resulting managedFields.
    /// A request that itself rewrites managedFields (e.g. kubectl's client-side-apply upgrade) is taken as the new base.
    /// </summary>
    public static JsonObject UpdateManagedFields(JsonObject? oldObj, JsonObject newObj, string manager, string operation,
        DateTimeOffset now, string? subresource = null)
    {
        var result = newObj.Clone();
        var apiVersion = newObj.ApiVersion() ?? oldObj?.ApiVersion() ?? "";
        var schema = SchemaOf(apiVersion, newObj.Kind() ?? oldObj?.Kind() ?? "");
        var isStatus = subresource == "status";

        var oldManaged = oldObj?["metadata"]?["managedFields"];
        var newManaged = newObj["metadata"] is JsonObject meta && meta.TryGetPropertyValue("managedFields", out var m)
            ? m
            : oldManaged;
        var entries = JsonNode.DeepEquals(oldManaged, newManaged)
            ? ManagedFieldsEntry.Read(oldObj)
            : ManagedFieldsEntry.Read(result);
        result["metadata"]?.AsObject().Remove("managedFields");

        var before = oldObj?.Clone() ?? new JsonObject();
        before["metadata"]?.AsObject().Remove("managedFields");

        var changed = new FieldSet();
        var newMaps = new FieldSet();
        foreach (var path in Collect(result, schema, isStatus, newMaps).Paths)
            if (Differs(before, result, path)) changed.Add(path);
        foreach (var path in newMaps.Paths)
            if (FieldPath.Resolve(before, path).Node is not JsonObject) changed.Add(path);

        var removed = new FieldSet();
        var oldMaps = new FieldSet();
        foreach (var path in Collect(before, schema, isStatus, oldMaps).Paths.Concat(oldMaps.Paths))
            if (!FieldPath.Resolve(result, path).Found) removed.Add(path);

        var self = entries.FirstOrDefault(e => e.Is(manager, operation, apiVersion, subresource));
        foreach (var entry in entries.Where(e => e != self))
            entry.Fields.RemoveWhere(p => changed.Contains(p) || removed.Contains(p));

        if (!changed.IsEmpty)
        {
            if (self == null)
            {
                self = new ManagedFieldsEntry
                {
                    Manager = manager, Operation = operation, ApiVersion = apiVersion, Subresource = subresource,
                };
                entries.Add(self);
            }
            foreach (var path in changed.Paths) self.Fields.Add(path);
            self.Time = ManagedFieldsEntry.FormatTime(now);
        }

        DropVanishedFields(entries, result);
        ManagedFieldsEntry.Write(result, entries);
        return result;
    }

    private static PatchSchema SchemaOf(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/');
        return PatchMetadata.Root(slash < 0 ? "" : apiVersion[..slash], kind);
    }

    /// <summary>
    /// Merges an apply configuration: maps recursively, keyed lists by key, sets as sets, atomic lists and atomic
    /// structs replaced. Unlike strategic merge patch, keys starting with "$" are plain data here.
    /// </summary>
    private static JsonObject MergeWithSchema(JsonObject live, JsonObject config, PatchSchema schema)
    {
        var result = live.Clone();
        foreach (var (key, value) in config)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            var field = schema.Field(key);
            var child = schema.Child(key);
            result[key] = value switch
            {
                JsonObject map when result[key] is JsonObject existing && !field.AtomicMap => MergeWithSchema(existing, map, child),
                JsonArray list when result[key] is JsonArray existing && field.Strategy == ListStrategy.Map =>
                    MergeKeyed(existing, list, field, child),
                JsonArray list when result[key] is JsonArray existing && field.Strategy == ListStrategy.Set =>
                    new JsonArray(existing.Select(e => e?.DeepClone())
                        .Concat(list.Where(e => !existing.Any(x => JsonNode.DeepEquals(x, e))).Select(e => e?.DeepClone()))
                        .ToArray()),
                _ => value.DeepClone(),
            };
        }
        return result;
    }

    private static JsonArray MergeKeyed(JsonArray live, JsonArray config, PatchField field, PatchSchema schema)
    {
        var result = new JsonArray(live.Select(e => e?.DeepClone()).ToArray());
        foreach (var element in config)
        {
            if (element is not JsonObject item || !item.ContainsKey(field.MergeKey!))
                throw ApiException.BadRequest($"associative list element {element?.ToJsonString() ?? "null"} is missing its key \"{field.MergeKey}\"");
            var key = JsonNode.Parse(FieldPath.Key(field.ListMapKeys, item)[2..])!.AsObject();
            var index = -1;
            for (var i = 0; i < result.Count && index < 0; i++)
                if (FieldPath.Matches(result[i], key)) index = i;
            if (index < 0) result.Add(item.DeepClone());
            else result[index] = MergeWithSchema((JsonObject)result[index]!, item, schema);
        }
        return result;
    }

    /// <summary>
    /// The owned field set of an object: leaves, empty maps/lists, atomic values, keyed list elements and set values.
    /// <paramref name="containers"/>, when given, receives the non-empty maps of unknown type (labels, annotations,
    /// rollingUpdate…): an Update that creates one owns it too, which upstream shows as ".".
    /// </summary>
    private static FieldSet Collect(JsonObject obj, PatchSchema schema, bool isStatus, FieldSet? containers = null)
    {
        var set = new FieldSet();
        CollectMap(obj, schema, [], set, isStatus, containers);
        return set;
    }

    private static void CollectMap(JsonObject obj, PatchSchema schema, List<string> path, FieldSet set, bool isStatus,
        FieldSet? containers)
    {
        foreach (var (key, value) in obj)
        {
            if (IsIgnored(path, key, isStatus)) continue;
            path.Add(FieldPath.Field(key));
            CollectValue(value, schema.Field(key), schema.Child(key), path, set, containers);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static void CollectValue(JsonNode? value, PatchField field, PatchSchema child, List<string> path, FieldSet set,
        FieldSet? containers)
    {
        switch (value)
        {
            case JsonObject map when map.Count > 0 && !field.AtomicMap:
                if (!child.IsTyped) containers?.Add(path);
                CollectMap(map, child, path, set, isStatus: false, containers);
                break;

            case JsonArray list when list.Count > 0 && field.Strategy == ListStrategy.Map
                                     && list.All(e => e is JsonObject o && o.ContainsKey(field.MergeKey!)):
                foreach (var element in list)
                {
                    var item = (JsonObject)element!;
                    path.Add(FieldPath.Key(field.ListMapKeys, item));
                    set.Add(path);
                    CollectMap(item, child, path, set, isStatus: false, containers);
                    path.RemoveAt(path.Count - 1);
                }
                break;

            case JsonArray list when list.Count > 0 && field.Strategy == ListStrategy.Set
                                     && list.All(e => e is not JsonObject and not JsonArray):
                foreach (var element in list)
                {
                    path.Add(FieldPath.Value(element));
                    set.Add(path);
                    path.RemoveAt(path.Count - 1);
                }
                break;

            default:
                set.Add(path);
                break;
        }
    }

    private static bool IsIgnored(List<string> path, string key, bool isStatus) => path.Count switch
    {
        0 => key is "apiVersion" or "kind" || (isStatus ? key != "status" : key == "status"),
        1 when path[0] == "f:metadata" => IgnoredMetadata.Contains(key),
        _ => false,
    };

    /// <summary>Whether the value a path names differs; list elements and set values only by presence.</summary>
    private static bool Differs(JsonNode before, JsonNode after, IReadOnlyList<string> path)
    {
        var (foundBefore, valueBefore) = FieldPath.Resolve(before, path);
        var (foundAfter, valueAfter) = FieldPath.Resolve(after, path);
        if (foundBefore != foundAfter) return true;
        if (!foundBefore) return false;
        var last = path[^1];
        if (last.StartsWith("k:", StringComparison.Ordinal) || last.StartsWith("v:", StringComparison.Ordinal)) return false;
        return !JsonNode.DeepEquals(valueBefore, valueAfter);
    }

    /// <summary>
    /// After removing a field, drops maps and lists that the removal left empty, as long as nobody owns them
    /// and they are not top-level sections such as <c>spec</c>.
    /// </summary>
    private static void PruneEmptyParents(JsonObject root, IReadOnlyList<string> removed, List<ManagedFieldsEntry> entries)
    {
        for (var depth = removed.Count - 1; depth >= 2; depth--)
        {
            var parent = removed.Take(depth).ToList();
            var (found, node) = FieldPath.Resolve(root, parent);
            var empty = node is JsonObject { Count: 0 } or JsonArray { Count: 0 };
            if (!found || !empty || entries.Any(e => e.Fields.Contains(parent))) return;
            FieldPath.Remove(root, parent);
        }
    }

    private static void DropVanishedFields(List<ManagedFieldsEntry> entries, JsonObject obj)
    {
        foreach (var entry in entries)
            entry.Fields.RemoveWhere(p => !FieldPath.Resolve(obj, p).Found);
    }

    private static ApiException ConflictError(List<(ManagedFieldsEntry Owner, IReadOnlyList<string> Path)> conflicts)
    {
        string message;
        if (conflicts.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {conflicts[0].Owner.Describe()}: {FieldPath.Describe(conflicts[0].Path)}";
        }
        else
        {
            var lines = conflicts
                .GroupBy(c => c.Owner.Describe())
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => new[] { $"conflicts with {g.Key}:" }
                    .Concat(g.Select(c => FieldPath.Describe(c.Path)).Order(StringComparer.Ordinal).Select(p => $"- {p}")));
            message = $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }

        return new ApiException(409, "Conflict", message)
        {
            ExtraCauses = conflicts.Select(c => new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with {c.Owner.Describe()}",
                ["field"] = FieldPath.Describe(c.Path),
            }).ToList(),
        };
    }
}
