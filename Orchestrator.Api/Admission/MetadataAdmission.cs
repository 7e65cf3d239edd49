using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Core.Validation;

namespace Orchestrator.Api.Admission;

/// <summary>
/// ObjectMeta rules common to every kind: the name's grammar (which depends on the kind), namespace, labels,
/// annotations and finalizers; on update, the identity fields. Server-owned fields a client dropped or changed
/// (uid when omitted, creationTimestamp, deletion fields) are restored silently, as the apiserver does, because
/// clients routinely send back objects without them.
/// </summary>
public sealed class MetadataAdmission : IAdmissionStep
{
    private const string Immutable = "field is immutable";

    /// <summary>CronJob names get 11 characters appended for the Jobs they create, which must still be DNS-1035 labels.</summary>
    public const int CronJobNameMaxLength = NameValidation.Dns1035LabelMaxLength - 11;

    public void Admit(AdmissionRequest request)
    {
        if (request.Operation == AdmissionOperation.Delete) return;
        if (request.Subresource is not (null or "status")) return;

        var meta = request.Object.Metadata();
        var errors = request.Errors;

        if (request.Operation == AdmissionOperation.Update && request.OldObject?["metadata"] is JsonObject oldMeta)
            RestoreAndCheckIdentity(meta, oldMeta, errors);

        var name = meta.Str("name") ?? "";
        if (name.Length == 0)
        {
            if (string.IsNullOrEmpty(meta.Str("generateName")))
                errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            foreach (var msg in NameRule(request.Kind)(name)) errors.Add(FieldError.Invalid("metadata.name", name, msg));
            if (IsKind(request.Kind, "batch", "CronJob") && name.Length > CronJobNameMaxLength)
                errors.Add(FieldError.Invalid("metadata.name", name, $"must be no more than {CronJobNameMaxLength} characters"));
        }

        var ns = meta.Str("namespace") ?? "";
        if (request.Kind.Namespaced)
        {
            if (ns.Length == 0) errors.Add(FieldError.Required("metadata.namespace", ""));
            else foreach (var msg in NameValidation.IsDns1123Label(ns)) errors.Add(FieldError.Invalid("metadata.namespace", ns, msg));
        }
        else if (ns.Length > 0)
        {
            errors.Add(FieldError.Forbidden("metadata.namespace", "not allowed on this type"));
        }

        errors.AddRange(MetadataValidation.ValidateLabels(meta["labels"], "metadata.labels"));
        errors.AddRange(MetadataValidation.ValidateAnnotations(meta["annotations"], "metadata.annotations"));

        if (meta["finalizers"] is JsonArray finalizers)
        {
            var seen = new HashSet<string>();
            for (var i = 0; i < finalizers.Count; i++)
            {
                var f = finalizers[i] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
                foreach (var msg in NameValidation.IsQualifiedName(f)) errors.Add(FieldError.Invalid("metadata.finalizers", f, msg));
                if (!seen.Add(f)) errors.Add(FieldError.Duplicate($"metadata.finalizers[{i}]", f));
            }
        }
    }

    private static void RestoreAndCheckIdentity(JsonObject meta, JsonObject oldMeta, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(meta.Str("uid")) && oldMeta["uid"] is { } uid) meta["uid"] = uid.DeepClone();
        foreach (var serverOwned in new[] { "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            if (oldMeta[serverOwned] is { } value) meta[serverOwned] = value.DeepClone();
            else meta.Remove(serverOwned);
        }

        foreach (var field in new[] { "name", "namespace", "uid" })
        {
            var now = meta.Str(field) ?? "";
            var before = oldMeta.Str(field) ?? "";
            if (now != before) errors.Add(FieldError.Invalid($"metadata.{field}", now, Immutable));
        }
    }

    private static bool IsKind(ResourceKind kind, string group, string name) => kind.Group == group && kind.Kind == name;

    /// <summary>Which grammar a kind's names follow, as the apiserver's per-kind name validators choose.</summary>
    private static Func<string, List<string>> NameRule(ResourceKind kind) => kind switch
    {
        { Group: "", Kind: "Namespace" } => NameValidation.IsDns1123Label,
        // Service names become DNS labels (svc.ns.svc.cluster.local) and env var prefixes, so they must start with a letter.
        { Group: "", Kind: "Service" } => NameValidation.IsDns1035Label,
        _ => NameValidation.IsDns1123Subdomain,
    };
}
