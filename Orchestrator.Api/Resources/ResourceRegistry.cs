using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Orchestrator.Api.Admission;
using Orchestrator.Api.FieldValidation;
using Orchestrator.Api.Patching;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Core.Storage;

namespace Orchestrator.Api.Resources;

/// <summary>
/// The generic registry: create, read, update, patch and delete of any kind on top of <see cref="IObjectStore"/>,
/// with the server-owned metadata (uid, creationTimestamp, generation, resourceVersion), admission, optimistic
/// concurrency and graceful/finalizer-aware deletion. Used by the REST layer and by in-process controllers alike.
/// </summary>
public sealed partial class ResourceRegistry
{
    private const int PatchRetries = 5;
    private const string NameSuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    private readonly IObjectStore _store;
    private readonly IReadOnlyList<IAdmissionStep> _admission;
    private readonly IReadOnlyList<IResourceLifecycleHook> _hooks;
    private readonly TimeProvider _time;
    private readonly ManagedFieldsTracker _managedFields;
    private readonly UnknownFieldDetector _unknownFields;

    public ResourceRegistry(
        IObjectStore store,
        ResourceCatalog catalog,
        IEnumerable<IAdmissionStep> admission,
        IEnumerable<IResourceLifecycleHook> hooks,
        ManagedFieldsTracker managedFields,
        UnknownFieldDetector unknownFields,
        TimeProvider time)
    {
        _unknownFields = unknownFields;
        _store = store;
        Catalog = catalog;
        _admission = admission.ToList();
        _hooks = hooks.ToList();
        _managedFields = managedFields;
        _time = time;
    }

    public ResourceCatalog Catalog { get; }

    public IObjectStore Store => _store;

    /// <summary>Tells every lifecycle hook (allocators) what is stored, so state lost with the process is rebuilt.</summary>
    public void RebuildHooks()
    {
        foreach (var kind in Catalog.Kinds)
        {
            var items = _store.List(kind.KeyPrefix).Items.Select(i => i.Parse()).ToList();
            foreach (var hook in _hooks) hook.Rebuild(kind, items);
        }
    }

    public StoredObject? TryGetStored(ResourceKind kind, string? ns, string name) => _store.Get(kind.KeyFor(ns, name));

    public StoredObject GetStored(ResourceKind kind, string? ns, string name) =>
        TryGetStored(kind, ns, name) ?? throw NotFound(kind, name);

    public JsonObject Get(ResourceKind kind, string? ns, string name) => GetStored(kind, ns, name).Parse();

    // ---- create ------------------------------------------------------------------------------------------------

    public async Task<JsonObject> CreateAsync(ResourceKind kind, string? ns, JsonObject obj, WriteOptions options, CancellationToken ct = default)
    {
        CheckTypeMeta(kind, obj);
        CheckUnknownFields(kind, obj, options);
        var meta = obj.Metadata();
        CheckNamespace(kind, ns, meta);
        if (kind.Namespaced) meta["namespace"] = ns;
        else meta.Remove("namespace");

        var name = meta.Str("name");
        if (string.IsNullOrEmpty(name))
        {
            var generate = meta.Str("generateName");
            if (string.IsNullOrEmpty(generate))
                throw ApiException.Invalid(kind.Kind, "", kind.Group,
                    [FieldError.Required("metadata.name", "name or generateName is required")]);
            name = generate + RandomSuffix(5);
            meta["name"] = name;
        }

        if (kind.Namespaced) EnsureNamespaceAcceptsWrites(ns!, name);

        var now = _time.GetUtcNow();
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = KubeTime.Format(now);
        meta.Remove("resourceVersion");
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("selfLink");
        meta.Remove("managedFields");
        if (ObjectDefaults.TracksGeneration(kind)) meta["generation"] = 1;
        else meta.Remove("generation");
        ObjectDefaults.ResetStatusForCreate(kind, obj);

        var request = new AdmissionRequest { Kind = kind, Operation = AdmissionOperation.Create, Object = obj, DryRun = options.DryRun };
        return await CommitAsync(request, options, async () =>
        {
            _managedFields.RecordUpdate(null, obj, options.FieldManager, now);
            try
            {
                return (await _store.CreateAsync(kind.KeyFor(ns, name), obj, ct)).Parse();
            }
            catch (KeyExistsException)
            {
                throw ApiException.AlreadyExists(kind.GroupResource, name, kind.Plural, kind.Group);
            }
        });
    }

    // ---- update ------------------------------------------------------------------------------------------------

    /// <summary>
    /// PUT: replaces the object (or only its status, for the status subresource). A resourceVersion in the body makes
    /// the write conditional; without one the update is unconditional, as upstream allows for built-in kinds.
    /// </summary>
    public async Task<(JsonObject Object, bool Created)> UpdateAsync(
        ResourceKind kind, string? ns, string name, JsonObject obj, string? subresource, WriteOptions options, CancellationToken ct = default)
    {
        CheckTypeMeta(kind, obj);
        CheckUnknownFields(kind, obj, options);
        var meta = obj.Metadata();
        CheckNamespace(kind, ns, meta);
        var bodyName = meta.Str("name");
        if (bodyName != null && bodyName != name)
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        meta["name"] = name;
        if (kind.Namespaced) meta["namespace"] = ns;

        var current = TryGetStored(kind, ns, name);
        if (current == null)
        {
            if (subresource == null && ObjectDefaults.AllowsCreateOnUpdate(kind))
                return (await CreateAsync(kind, ns, obj, options, ct), true);
            throw NotFound(kind, name);
        }

        long expected = current.Revision;
        var rv = meta.Str("resourceVersion");
        if (!string.IsNullOrEmpty(rv))
        {
            if (!long.TryParse(rv, out expected))
                throw ApiException.BadRequest($"invalid resourceVersion \"{rv}\"");
            if (expected != current.Revision) throw Conflict(kind, name);
        }
        return (await ReplaceAsync(kind, current, obj, subresource, options, expected, ct), false);
    }

    private async Task<JsonObject> ReplaceAsync(
        ResourceKind kind, StoredObject current, JsonObject obj, string? subresource, WriteOptions options, long expected, CancellationToken ct)
    {
        var old = current.Parse();
        var updated = subresource switch
        {
            "status" => WithPartFrom(old, obj, "status"),
            "finalize" => WithNamespaceFinalizersFrom(old, obj),
            _ => obj,
        };
        CarryServerOwnedFields(kind, old, updated, subresource);

        var request = new AdmissionRequest
        {
            Kind = kind, Operation = AdmissionOperation.Update, Object = updated, OldObject = old,
            Subresource = subresource, DryRun = options.DryRun,
        };
        var name = old.Name()!;
        return await CommitAsync(request, options, async () =>
        {
            if (JsonNode.DeepEquals(StripVolatile(old), StripVolatile(updated)))
                return old; // a no-op write keeps its resourceVersion and wakes no watcher, as upstream
            _managedFields.RecordUpdate(old, updated, options.FieldManager, _time.GetUtcNow(), subresource);
            try
            {
                if (ShouldDeleteAfterUpdate(kind, updated))
                    return Deleted(kind, (await _store.DeleteAsync(current.Key, expected, ct)).Parse());
                return (await _store.UpdateAsync(current.Key, updated, expected, ct)).Parse();
            }
            catch (RevisionConflictException)
            {
                throw Conflict(kind, name);
            }
            catch (KeyNotFoundStoreException)
            {
                throw NotFound(kind, name);
            }
        });
    }

    /// <summary>Fields a client may not change through this endpoint are taken from the stored object.</summary>
    private static void CarryServerOwnedFields(ResourceKind kind, JsonObject old, JsonObject updated, string? subresource)
    {
        var oldMeta = old.Metadata();
        var meta = updated.Metadata();
        foreach (var f in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace", "name" })
        {
            if (oldMeta[f] is { } v) meta[f] = v.DeepClone();
            else meta.Remove(f);
        }
        meta.Remove("selfLink");
        if (meta["managedFields"] == null && oldMeta["managedFields"] is { } mf) meta["managedFields"] = mf.DeepClone();

        if (subresource == null && ObjectDefaults.HasStatusSubresource(kind))
        {
            if (old["status"] is { } status) updated["status"] = status.DeepClone();
            else updated.Remove("status");
        }
        if (ObjectDefaults.TracksGeneration(kind) && subresource == null &&
            !JsonNode.DeepEquals(old["spec"], updated["spec"]))
            meta["generation"] = (old["metadata"].Long("generation") ?? 0) + 1;
    }

    /// <summary>The stored object with one top-level part (status) taken from the request: what a subresource may change.</summary>
    private static JsonObject WithPartFrom(JsonObject old, JsonObject body, string part)
    {
        var result = old.Clone();
        if (body[part] is { } value) result[part] = value.DeepClone();
        else result.Remove(part);
        return result;
    }

    private static JsonObject WithNamespaceFinalizersFrom(JsonObject old, JsonObject body)
    {
        var result = old.Clone();
        result.Obj("spec")["finalizers"] = body["spec"]?["finalizers"]?.DeepClone() ?? new JsonArray();
        return result;
    }

    /// <summary>An object whose deletion was waiting on finalizers goes once the last finalizer is removed.</summary>
    private static bool ShouldDeleteAfterUpdate(ResourceKind kind, JsonObject obj)
    {
        var meta = obj["metadata"] as JsonObject;
        if (meta?["deletionTimestamp"] == null) return false;
        if (meta["finalizers"] is JsonArray { Count: > 0 }) return false;
        // Pods wait for their node to confirm termination (a delete with grace 0); namespaces for their contents.
        if (kind.Kind == "Namespace") return obj["spec"]?["finalizers"] is not JsonArray { Count: > 0 };
        // A pod whose node already confirmed termination (grace 0) only waited for its finalizers.
        return kind.Kind != "Pod" || meta.Long("deletionGracePeriodSeconds") == 0;
    }

    /// <summary>The object without the fields every write changes, to detect writes that change nothing.</summary>
    private static JsonObject StripVolatile(JsonObject obj)
    {
        var copy = obj.Clone();
        var meta = copy.Metadata();
        meta.Remove("resourceVersion");
        meta.Remove("managedFields");
        return copy;
    }

    // ---- patch -------------------------------------------------------------------------------------------------

    /// <summary>
    /// PATCH in one of the four content types. The patch is applied to the latest stored object and retried on a
    /// concurrent write, so patches never fail with Conflict unless the patch itself pins a resourceVersion.
    /// Apply patches create missing objects (server-side apply upserts).
    /// </summary>
    public async Task<(JsonObject Object, bool Created)> PatchAsync(
        ResourceKind kind, string? ns, string name, string contentType, JsonNode patch, string? subresource,
        WriteOptions options, CancellationToken ct = default)
    {
        var isApply = contentType.StartsWith("application/apply-patch", StringComparison.Ordinal);
        if (isApply && string.IsNullOrEmpty(options.FieldManager))
            throw ApiException.BadRequest("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");

        for (var attempt = 0; ; attempt++)
        {
            var current = TryGetStored(kind, ns, name);
            if (current == null)
            {
                if (!isApply || subresource != null) throw NotFound(kind, name);
                var applied = ToObject(patch, "apply patch");
                CheckUnknownFields(kind, applied, options);
                var created = _managedFields.Apply(null, applied, options.FieldManager!, options.Force, _time.GetUtcNow());
                var meta = created.Metadata();
                if (meta.Str("name") is { } n && n != name)
                    throw ApiException.BadRequest($"the name of the object ({n}) does not match the name on the URL ({name})");
                meta["name"] = name;
                // The managed fields computed for the applied object must survive create's metadata reset.
                var managed = meta["managedFields"]?.DeepClone();
                var result = await CreateAsync(kind, ns, created, options with { FieldManager = null }, ct);
                if (managed != null && !options.DryRun)
                {
                    var stored = GetStored(kind, ns, name);
                    var withManaged = stored.Parse();
                    withManaged.Metadata()["managedFields"] = managed;
                    result = (await _store.UpdateAsync(stored.Key, withManaged, stored.Revision, ct)).Parse();
                }
                return (result, true);
            }

            var old = current.Parse();
            JsonObject patched = contentType switch
            {
                _ when isApply => _managedFields.Apply(old, ToObject(patch, "apply patch"), options.FieldManager!, options.Force, _time.GetUtcNow(), subresource),
                "application/strategic-merge-patch+json" => StrategicMergePatch.Apply(old, ToObject(patch, "strategic merge patch"), kind.Group, kind.Kind),
                "application/merge-patch+json" => JsonMergePatch.Apply(old, patch),
                "application/json-patch+json" => JsonPatch.Apply(old, patch as JsonArray
                    ?? throw ApiException.BadRequest("json patch must be a JSON array of operations")),
                _ => throw ApiException.UnsupportedMediaType($"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json"),
            };
            CheckTypeMeta(kind, patched);
            if (attempt == 0) CheckUnknownFields(kind, patched, options);

            // A resourceVersion in the patch (json patch "test", or set explicitly) pins the write to that revision.
            long expected = current.Revision;
            var pinned = patched["metadata"].Str("resourceVersion");
            var patchPins = !string.IsNullOrEmpty(pinned) && pinned != current.Revision.ToString();
            if (patchPins)
            {
                if (!long.TryParse(pinned, out expected)) throw ApiException.BadRequest($"invalid resourceVersion \"{pinned}\"");
                throw Conflict(kind, name);
            }
            try
            {
                var manager = isApply ? null : options.FieldManager; // apply already recorded ownership
                return (await ReplaceAsync(kind, current, patched, subresource, options with { FieldManager = manager }, expected, ct), false);
            }
            catch (ApiException e) when (e.Reason == "Conflict" && e.Causes.Count == 0 && e.ExtraCauses.Count == 0 && attempt < PatchRetries)
            {
                // Someone wrote between our read and our write: re-read and re-apply the patch.
            }
        }
    }

    private static JsonObject ToObject(JsonNode patch, string what)
    {
        var obj = patch as JsonObject ?? throw ApiException.BadRequest($"{what} must be a JSON object");
        ObjectShape.Require(obj);
        return obj;
    }

    // ---- delete ------------------------------------------------------------------------------------------------

    /// <summary>
    /// DELETE. Objects with finalizers, foreground/orphan propagation, namespaces and pods bound to a node are only
    /// marked (deletionTimestamp) and removed later by whoever owns the finalizer; everything else goes at once.
    /// Returns the object as last seen and whether it is gone.
    /// </summary>
    public async Task<(JsonObject Object, bool Deleted)> DeleteAsync(
        ResourceKind kind, string? ns, string name, DeleteOptions options, CancellationToken ct = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = GetStored(kind, ns, name);
            var obj = current.Parse();
            var meta = obj.Metadata();
            if (options.PreconditionUid is { } uid && uid != meta.Str("uid"))
                throw new ApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {kind.GroupResource} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {meta.Str("uid")}")
                { Name = name, Kind = kind.Plural, Group = kind.Group.Length == 0 ? null : kind.Group };
            if (options.PreconditionResourceVersion is { } prv && prv != current.Revision.ToString())
                throw new ApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {kind.GroupResource} \"{name}\": Precondition failed: ResourceVersion in precondition: {prv}, ResourceVersion in object meta: {current.Revision}")
                { Name = name, Kind = kind.Plural, Group = kind.Group.Length == 0 ? null : kind.Group };

            var marked = MarkForDeletion(kind, obj, options);
            if (options.DryRun) return (marked ?? obj, marked == null);
            try
            {
                if (marked != null)
                {
                    if (JsonNode.DeepEquals(marked, obj)) return (obj, false);
                    if (ShouldDeleteAfterUpdate(kind, marked) && kind.Kind != "Namespace")
                        return (Deleted(kind, (await _store.DeleteAsync(current.Key, current.Revision, ct)).Parse()), true);
                    return ((await _store.UpdateAsync(current.Key, marked, current.Revision, ct)).Parse(), false);
                }
                return (Deleted(kind, (await _store.DeleteAsync(current.Key, current.Revision, ct)).Parse()), true);
            }
            catch (RevisionConflictException) when (attempt < PatchRetries)
            {
            }
            catch (KeyNotFoundStoreException)
            {
                throw NotFound(kind, name);
            }
        }
    }

    /// <summary>The marked copy of an object whose deletion must wait, or null when it can be deleted now.</summary>
    private JsonObject? MarkForDeletion(ResourceKind kind, JsonObject obj, DeleteOptions options)
    {
        var meta = obj.Metadata();
        var finalizers = (meta["finalizers"] as JsonArray)?.Select(f => f?.GetValue<string>()).OfType<string>().ToList() ?? [];
        var alreadyDeleting = meta["deletionTimestamp"] != null;
        var now = _time.GetUtcNow();

        if (kind.Kind == "Namespace")
        {
            var marked = obj.Clone();
            var m = marked.Metadata();
            if (!alreadyDeleting) m["deletionTimestamp"] = KubeTime.Format(now);
            marked.Obj("status")["phase"] = "Terminating";
            marked.Obj("spec")["finalizers"] = new JsonArray("kubernetes");
            return marked;
        }

        var policy = options.PropagationPolicy;
        var addFinalizer = policy switch
        {
            "Foreground" => "foregroundDeletion",
            "Orphan" => "orphan",
            _ => null,
        };
        var podGrace = kind.Kind == "Pod" ? PodGracePeriod(obj, options) : 0;
        var waitForNode = kind.Kind == "Pod" && podGrace > 0 && obj["spec"].Str("nodeName") is { Length: > 0 }
                          && obj["status"].Str("phase") is not ("Succeeded" or "Failed");

        // A pod already terminating is removed by a delete with grace 0 (its node's confirmation, or --force).
        if (finalizers.Count == 0 && addFinalizer == null && !waitForNode) return null;

        var result = obj.Clone();
        var rm = result.Metadata();
        if (addFinalizer != null && !finalizers.Contains(addFinalizer) && !alreadyDeleting)
        {
            finalizers.Add(addFinalizer);
            rm["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray());
        }
        if (!alreadyDeleting)
        {
            var grace = kind.Kind == "Pod" ? podGrace : 0;
            rm["deletionTimestamp"] = KubeTime.Format(now.AddSeconds(grace));
            rm["deletionGracePeriodSeconds"] = grace;
        }
        else if (kind.Kind == "Pod" && options.GracePeriodSeconds is { } g && g < (meta.Long("deletionGracePeriodSeconds") ?? long.MaxValue))
        {
            // A shorter grace period may cut an ongoing graceful deletion short, never lengthen it.
            rm["deletionTimestamp"] = KubeTime.Format(now.AddSeconds(g));
            rm["deletionGracePeriodSeconds"] = g;
        }
        return result;
    }

    private static long PodGracePeriod(JsonObject pod, DeleteOptions options) =>
        options.GracePeriodSeconds ?? pod["spec"].Long("terminationGracePeriodSeconds") ?? 30;

    private JsonObject Deleted(ResourceKind kind, JsonObject deleted)
    {
        foreach (var hook in _hooks) hook.Deleted(kind, deleted);
        return deleted;
    }

    // ---- shared ------------------------------------------------------------------------------------------------

    /// <summary>Runs admission, then the write; undoes admission side effects when the write does not happen.</summary>
    private async Task<JsonObject> CommitAsync(AdmissionRequest request, WriteOptions options, Func<Task<JsonObject>> write)
    {
        var committed = false;
        try
        {
            foreach (var step in _admission) step.Admit(request);
            if (request.Errors.Count > 0)
                throw ApiException.Invalid(request.Kind.Kind, request.Object.Name() ?? "", request.Kind.Group, request.Errors);
            if (options.DryRun) return request.Object;
            var result = await write();
            committed = true;
            foreach (var action in request.OnCommitted) action();
            return result;
        }
        finally
        {
            if (!committed)
                foreach (var undo in Enumerable.Reverse(request.Rollbacks)) undo();
        }
    }

    private void CheckTypeMeta(ResourceKind kind, JsonObject obj)
    {
        ObjectShape.Require(obj);
        var apiVersion = obj.Str("apiVersion");
        var k = obj.Str("kind");
        if (!string.IsNullOrEmpty(k) && k != kind.Kind)
            throw ApiException.BadRequest($"the kind in the data ({k}) does not match the expected kind ({kind.Kind})");
        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != kind.ApiVersion)
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({kind.ApiVersion})");
        obj["apiVersion"] = kind.ApiVersion;
        obj["kind"] = kind.Kind;
        if (obj["metadata"] is not (null or JsonObject))
            throw ApiException.BadRequest("metadata must be an object");
    }

    /// <summary>fieldValidation: Strict rejects fields the kind does not have (400), Warn reports them in Warning headers.</summary>
    private void CheckUnknownFields(ResourceKind kind, JsonObject obj, WriteOptions options)
    {
        if (options.FieldValidation == FieldValidationMode.Ignore) return;
        var unknown = _unknownFields.Find(kind, obj);
        foreach (var warning in UnknownFieldReport.Enforce(options.FieldValidation, unknown)) options.Warn?.Invoke(warning);
    }

    private static void CheckNamespace(ResourceKind kind, string? ns, JsonObject meta)
    {
        var bodyNs = meta.Str("namespace");
        if (kind.Namespaced && !string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
    }

    private void EnsureNamespaceAcceptsWrites(string ns, string name)
    {
        var nsKind = Catalog.FindByPlural("", "v1", "namespaces")!;
        var stored = _store.Get(nsKind.KeyFor(null, ns)) ?? throw ApiException.NotFound("namespaces", ns, "namespaces", "");
        if (stored.Parse()["metadata"]?["deletionTimestamp"] != null)
            throw new ApiException(403, "Forbidden",
                $"unable to create new content in namespace {ns} because it is being terminated") { Name = name };
    }

    public ApiException NotFound(ResourceKind kind, string name) =>
        ApiException.NotFound(kind.GroupResource, name, kind.Plural, kind.Group);

    public ApiException Conflict(ResourceKind kind, string name) =>
        ApiException.Conflict(kind.GroupResource, name, kind.Plural, kind.Group);


    private static string RandomSuffix(int length) =>
        new(Enumerable.Range(0, length).Select(_ => NameSuffixAlphabet[RandomNumberGenerator.GetInt32(NameSuffixAlphabet.Length)]).ToArray());
}
