using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Admission;

/// <summary>
/// Pods: spec defaulting and validation, and on update the rule that a running pod's spec is fixed except for
/// images, activeDeadlineSeconds (shortened only) and added tolerations. Status writes skip all of it: the agent
/// reports status against whatever spec was admitted.
/// </summary>
public sealed class PodAdmission : IAdmissionStep
{
    public const string UpdatableFields =
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`," +
        "`spec.tolerations` (only additions to existing tolerations)," +
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

    public void Admit(AdmissionRequest request)
    {
        if (request.Kind is not { Group: "", Kind: "Pod" }) return;
        if (request.Operation == AdmissionOperation.Delete || request.Subresource is not null) return;

        var spec = request.Object.Obj("spec");
        PodSpecDefaults.Apply(spec);
        PodSpecValidator.Validate(spec, "spec", request.Errors);

        if (request.Operation == AdmissionOperation.Update && request.OldObject?["spec"] is JsonObject oldSpec)
            ValidateUpdate(spec, oldSpec, request.Errors);
    }

    private static void ValidateUpdate(JsonObject spec, JsonObject oldSpec, List<FieldError> errors)
    {
        // Compare against a copy where every field that may change is set back to its old value:
        // whatever still differs is a forbidden change.
        var munged = spec.Clone();

        foreach (var list in new[] { "containers", "initContainers" })
            if (munged[list] is JsonArray now && oldSpec[list] is JsonArray before && now.Count == before.Count)
                for (var i = 0; i < now.Count; i++)
                    if (now[i] is JsonObject c && before[i] is JsonObject o)
                        CopyField(o, c, "image");

        var oldDeadline = oldSpec.Long("activeDeadlineSeconds");
        var newDeadline = spec.Long("activeDeadlineSeconds");
        if (oldDeadline is not null)
        {
            if (newDeadline is null)
                errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", null, "must not update from a positive integer to nil value"));
            else if (newDeadline > oldDeadline)
                errors.Add(FieldError.Invalid("spec.activeDeadlineSeconds", newDeadline, "must be less than or equal to previous value"));
        }
        CopyField(oldSpec, munged, "activeDeadlineSeconds");

        var oldTolerations = (oldSpec["tolerations"] as JsonArray)?.ToList() ?? [];
        var newTolerations = (spec["tolerations"] as JsonArray)?.ToList() ?? [];
        if (oldTolerations.All(o => newTolerations.Any(n => JsonNode.DeepEquals(o, n))))
            CopyField(oldSpec, munged, "tolerations");
        else
            errors.Add(FieldError.Forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"));

        if (oldSpec.Long("terminationGracePeriodSeconds") is < 0 && spec.Long("terminationGracePeriodSeconds") == 1)
            CopyField(oldSpec, munged, "terminationGracePeriodSeconds");

        // Binding a pending pod (nodeName from empty to a node) is the scheduler's job; moving a bound pod is not.
        if (string.IsNullOrEmpty(oldSpec.Str("nodeName"))) CopyField(oldSpec, munged, "nodeName");

        if (!JsonNode.DeepEquals(oldSpec, munged))
            errors.Add(FieldError.Forbidden("spec", $"pod updates may not change fields other than {UpdatableFields}\n{Diff(oldSpec, munged)}"));
    }

    private static void CopyField(JsonObject from, JsonObject to, string field)
    {
        if (from[field] is { } v) to[field] = v.DeepClone();
        else to.Remove(field);
    }

    /// <summary>A short account of which spec fields differ, so the user sees what was refused.</summary>
    private static string Diff(JsonObject before, JsonObject after)
    {
        var sb = new StringBuilder();
        foreach (var key in before.Select(p => p.Key).Union(after.Select(p => p.Key)))
        {
            if (JsonNode.DeepEquals(before[key], after[key])) continue;
            if (before[key] is { } b) sb.Append($"- {key}: {b.ToJsonString()}\n");
            if (after[key] is { } a) sb.Append($"+ {key}: {a.ToJsonString()}\n");
        }
        return sb.ToString().TrimEnd('\n');
    }
}
