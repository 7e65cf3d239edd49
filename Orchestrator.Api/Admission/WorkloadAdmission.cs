using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;
using Orchestrator.Core.Validation;

namespace Orchestrator.Api.Admission;

/// <summary>
/// Controllers that own pods (ReplicaSet, ReplicationController, Deployment, DaemonSet, Job, CronJob):
/// their defaults, selector rules, and the pod template, defaulted and validated with the pod rules under
/// the template's path. Scale and status writes are left alone.
/// </summary>
public sealed partial class WorkloadAdmission : IAdmissionStep
{
    private const string Immutable = "field is immutable";
    private const string SelectorMismatch = "`selector` does not match template `labels`";
    private static readonly string[] Always = ["Always"];
    private static readonly string[] JobRestartPolicies = ["OnFailure", "Never"];
    private static readonly string[] DeploymentStrategies = ["Recreate", "RollingUpdate"];
    private static readonly string[] DaemonSetStrategies = ["OnDelete", "RollingUpdate"];
    private static readonly string[] CompletionModes = ["NonIndexed", "Indexed"];
    private static readonly string[] ConcurrencyPolicies = ["Allow", "Forbid", "Replace"];

    public const string JobControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string LegacyControllerUidLabel = "controller-uid";
    public const string LegacyJobNameLabel = "job-name";

    [GeneratedRegex("^[0-9]+%$")] private static partial Regex Percent();

    public void Admit(AdmissionRequest request)
    {
        if (request.Operation == AdmissionOperation.Delete) return;
        var obj = request.Object;
        if (request.Subresource == "scale")
        {
            // Scale and the owning object both carry spec.replicas; that is the only field a scale write sets.
            if (IsScalable(request.Kind) && obj["spec"] is JsonObject scaleSpec) NonNegative(scaleSpec, "replicas", "spec", request.Errors);
            return;
        }
        if (request.Subresource is not null) return;
        var oldSpec = request.Operation == AdmissionOperation.Update ? request.OldObject?["spec"] as JsonObject : null;
        var errors = request.Errors;

        switch (request.Kind)
        {
            case { Group: "apps", Kind: "ReplicaSet" }:
                AdmitReplicaSet(obj.Obj("spec"), oldSpec, errors);
                break;
            case { Group: "apps", Kind: "Deployment" }:
                AdmitDeployment(obj.Obj("spec"), oldSpec, errors);
                break;
            case { Group: "apps", Kind: "DaemonSet" }:
                AdmitDaemonSet(obj.Obj("spec"), oldSpec, errors);
                break;
            case { Group: "", Kind: "ReplicationController" }:
                AdmitReplicationController(obj, errors);
                break;
            case { Group: "batch", Kind: "Job" }:
                AdmitJob(obj, oldSpec, request.Operation == AdmissionOperation.Create, errors);
                break;
            case { Group: "batch", Kind: "CronJob" }:
                AdmitCronJob(obj.Obj("spec"), errors);
                break;
        }
    }

    private static bool IsScalable(ResourceKind kind) => kind switch
    {
        { Group: "apps", Kind: "Deployment" or "ReplicaSet" } or { Group: "", Kind: "ReplicationController" } => true,
        _ => false,
    };

    // --- apps/v1 -----------------------------------------------------------------------------------------

    private static void AdmitReplicaSet(JsonObject spec, JsonObject? oldSpec, List<FieldError> errors)
    {
        DefaultReplicas(spec);
        ValidateReplicaCounts(spec, errors);
        ValidateSelectorAndTemplate(spec, "deployment", errors, Always);
        if (oldSpec is not null) ImmutableSelector(spec, oldSpec, errors);
    }

    private static void AdmitDeployment(JsonObject spec, JsonObject? oldSpec, List<FieldError> errors)
    {
        DefaultReplicas(spec);
        var strategy = spec.Obj("strategy");
        if (strategy["type"] is null) strategy["type"] = "RollingUpdate";
        if (strategy.Str("type") == "RollingUpdate")
        {
            var rolling = strategy.Obj("rollingUpdate");
            if (rolling["maxUnavailable"] is null) rolling["maxUnavailable"] = "25%";
            if (rolling["maxSurge"] is null) rolling["maxSurge"] = "25%";
        }
        if (spec["revisionHistoryLimit"] is null) spec["revisionHistoryLimit"] = 10;
        if (spec["progressDeadlineSeconds"] is null) spec["progressDeadlineSeconds"] = 600;

        ValidateReplicaCounts(spec, errors);
        ValidateSelectorAndTemplate(spec, "deployment", errors, Always);

        var type = strategy.Str("type") ?? "";
        if (!DeploymentStrategies.Contains(type)) errors.Add(FieldError.NotSupported("spec.strategy.type", type, DeploymentStrategies));
        if (type == "Recreate" && strategy["rollingUpdate"] is not null)
            errors.Add(FieldError.Forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
        if (type == "RollingUpdate" && strategy["rollingUpdate"] is JsonObject ru)
            ValidateRollingUpdate(ru, "spec.strategy.rollingUpdate", errors, surgeAllowed: true);

        NonNegative(spec, "revisionHistoryLimit", "spec", errors);
        if (spec.Long("progressDeadlineSeconds") is { } pds)
        {
            if (pds < 0) errors.Add(FieldError.Invalid("spec.progressDeadlineSeconds", pds, PodSpecValidator.NonNegative));
            else if (pds <= (spec.Long("minReadySeconds") ?? 0))
                errors.Add(FieldError.Invalid("spec.progressDeadlineSeconds", pds, "must be greater than minReadySeconds"));
        }
        if (oldSpec is not null) ImmutableSelector(spec, oldSpec, errors);
    }

    private static void AdmitDaemonSet(JsonObject spec, JsonObject? oldSpec, List<FieldError> errors)
    {
        var strategy = spec.Obj("updateStrategy");
        if (strategy["type"] is null) strategy["type"] = "RollingUpdate";
        if (strategy.Str("type") == "RollingUpdate")
        {
            var rolling = strategy.Obj("rollingUpdate");
            if (rolling["maxUnavailable"] is null) rolling["maxUnavailable"] = 1;
            if (rolling["maxSurge"] is null) rolling["maxSurge"] = 0;
        }
        if (spec["revisionHistoryLimit"] is null) spec["revisionHistoryLimit"] = 10;

        NonNegative(spec, "minReadySeconds", "spec", errors);
        NonNegative(spec, "revisionHistoryLimit", "spec", errors);
        ValidateSelectorAndTemplate(spec, "daemonset", errors, Always);

        var type = strategy.Str("type") ?? "";
        if (!DaemonSetStrategies.Contains(type)) errors.Add(FieldError.NotSupported("spec.updateStrategy.type", type, DaemonSetStrategies));
        if (type == "RollingUpdate" && strategy["rollingUpdate"] is JsonObject ru)
            ValidateRollingUpdate(ru, "spec.updateStrategy.rollingUpdate", errors, surgeAllowed: true);
        if (oldSpec is not null) ImmutableSelector(spec, oldSpec, errors);
    }

    private static void DefaultReplicas(JsonObject spec)
    {
        if (spec["replicas"] is null) spec["replicas"] = 1;
    }

    private static void ValidateReplicaCounts(JsonObject spec, List<FieldError> errors)
    {
        NonNegative(spec, "replicas", "spec", errors);
        NonNegative(spec, "minReadySeconds", "spec", errors);
    }

    /// <summary>
    /// The apps/v1 rule: a non-empty label selector that the template's labels satisfy, else the controller
    /// would create pods it does not own and keep creating them.
    /// </summary>
    private static void ValidateSelectorAndTemplate(JsonObject spec, string kindWord, List<FieldError> errors, IReadOnlyList<string> restartPolicies)
    {
        var template = spec.Obj("template");
        AdmitTemplate(template, "spec.template", errors, restartPolicies, defaultRestartPolicy: true);

        if (spec["selector"] is not JsonObject selector)
        {
            errors.Add(FieldError.Required("spec.selector", ""));
            return;
        }
        var selectorErrors = LabelSelectorValidation.Validate(selector, "spec.selector");
        errors.AddRange(selectorErrors);
        var empty = selector["matchLabels"] is not JsonObject { Count: > 0 } && selector["matchExpressions"] is not JsonArray { Count: > 0 };
        if (empty) errors.Add(FieldError.Invalid("spec.selector", selector.DeepClone(), $"empty selector is invalid for {kindWord}"));
        if (selectorErrors.Count == 0 && !empty) CheckTemplateMatches(selector, template, errors);
    }

    private static void CheckTemplateMatches(JsonObject selector, JsonObject template, List<FieldError> errors)
    {
        var labels = KubeObject.StringMap(template["metadata"]?["labels"]);
        if (!LabelSelectorValidation.Matches(selector, labels))
            errors.Add(FieldError.Invalid("spec.template.metadata.labels", template["metadata"]?["labels"]?.DeepClone() ?? new JsonObject(), SelectorMismatch));
    }

    private static void ImmutableSelector(JsonObject spec, JsonObject oldSpec, List<FieldError> errors)
    {
        if (!JsonNode.DeepEquals(spec["selector"], oldSpec["selector"]))
            errors.Add(FieldError.Invalid("spec.selector", spec["selector"]?.DeepClone(), Immutable));
    }

    private static void ValidateRollingUpdate(JsonObject ru, string path, List<FieldError> errors, bool surgeAllowed)
    {
        var unavailable = IntOrPercent(ru["maxUnavailable"], path + ".maxUnavailable", errors);
        var surge = surgeAllowed ? IntOrPercent(ru["maxSurge"], path + ".maxSurge", errors) : (0L, false);
        if (unavailable is { IsPercent: true, Value: > 100 })
            errors.Add(FieldError.Invalid(path + ".maxUnavailable", ru["maxUnavailable"]?.DeepClone(), "must not be greater than 100%"));
        if (unavailable is { Value: 0 } && surge is { Value: 0 })
            errors.Add(FieldError.Invalid(path + ".maxUnavailable", ru["maxUnavailable"]?.DeepClone(), "may not be 0 when `maxSurge` is 0"));
    }

    private static (long Value, bool IsPercent)? IntOrPercent(JsonNode? node, string path, List<FieldError> errors)
    {
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue<string>(out var s))
        {
            if (!Percent().IsMatch(s))
            {
                errors.Add(FieldError.Invalid(path, s, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
                return null;
            }
            return (long.Parse(s[..^1], CultureInfo.InvariantCulture), true);
        }
        var n = new JsonObject { ["v"] = node.DeepClone() }.Long("v");
        if (n is null)
        {
            errors.Add(FieldError.Invalid(path, node.DeepClone(), "must be an integer or percentage (e.g '5%')"));
            return null;
        }
        if (n < 0) errors.Add(FieldError.Invalid(path, n, PodSpecValidator.NonNegative));
        return (n.Value, false);
    }

    // --- core/v1 ReplicationController -------------------------------------------------------------------

    private static void AdmitReplicationController(JsonObject rc, List<FieldError> errors)
    {
        var spec = rc.Obj("spec");
        DefaultReplicas(spec);
        // An RC without a selector selects its template's labels, and labels itself with them when unlabelled.
        if (spec["template"]?["metadata"]?["labels"] is JsonObject { Count: > 0 } templateLabels)
        {
            if (spec["selector"] is not JsonObject { Count: > 0 }) spec["selector"] = templateLabels.DeepClone();
            if (rc.Metadata()["labels"] is not JsonObject { Count: > 0 }) rc.Metadata()["labels"] = templateLabels.DeepClone();
        }

        ValidateReplicaCounts(spec, errors);
        var selector = spec["selector"] as JsonObject;
        if (selector is not { Count: > 0 }) errors.Add(FieldError.Required("spec.selector", ""));
        var selectorErrors = MetadataValidation.ValidateLabels(selector, "spec.selector");
        errors.AddRange(selectorErrors);

        if (spec["template"] is not JsonObject template)
        {
            errors.Add(FieldError.Required("spec.template", ""));
            return;
        }
        AdmitTemplate(template, "spec.template", errors, Always, defaultRestartPolicy: true);
        if (selector is { Count: > 0 } && selectorErrors.Count == 0)
            CheckTemplateMatches(new JsonObject { ["matchLabels"] = selector.DeepClone() }, template, errors);
    }

    // --- batch/v1 ----------------------------------------------------------------------------------------

    private static void AdmitJob(JsonObject job, JsonObject? oldSpec, bool create, List<FieldError> errors)
    {
        var spec = job.Obj("spec");
        if (spec["completions"] is null && spec["parallelism"] is null)
        {
            spec["completions"] = 1;
            spec["parallelism"] = 1;
        }
        if (spec["parallelism"] is null) spec["parallelism"] = 1;
        if (spec["backoffLimit"] is null) spec["backoffLimit"] = 6;
        if (spec["completionMode"] is null) spec["completionMode"] = "NonIndexed";
        if (spec["suspend"] is null) spec["suspend"] = false;
        if (spec["podFailurePolicy"] is null && spec["podReplacementPolicy"] is null) spec["podReplacementPolicy"] = "TerminatingOrFailed";

        var manual = spec.Bool("manualSelector") == true;
        var template = spec.Obj("template");
        if (create && !manual) GenerateSelector(job, spec, template, errors);

        ValidateJobSpec(spec, "spec", errors, requireSelector: true);

        if (oldSpec is not null)
        {
            ImmutableSelector(spec, oldSpec, errors);
            foreach (var field in new[] { "completions", "completionMode" })
                if (!JsonNode.DeepEquals(spec[field], oldSpec[field]))
                    errors.Add(FieldError.Invalid($"spec.{field}", spec[field]?.DeepClone(), Immutable));
            if (!JsonNode.DeepEquals(spec["template"], oldSpec["template"]))
                errors.Add(FieldError.Invalid("spec.template", spec["template"]?.DeepClone(), Immutable));
        }
    }

    /// <summary>
    /// Without manualSelector, a Job selects its pods by its own uid so two Jobs never adopt each other's pods;
    /// the template gets the uid and job name labels (both the current and the legacy keys).
    /// </summary>
    private static void GenerateSelector(JsonObject job, JsonObject spec, JsonObject template, List<FieldError> errors)
    {
        var uid = job.Uid();
        var name = job.Name() ?? "";
        if (string.IsNullOrEmpty(uid))
        {
            errors.Add(FieldError.Required("metadata.uid", ""));
            return;
        }
        var labels = template.Metadata().Obj("labels");
        labels[JobControllerUidLabel] = uid;
        labels[JobNameLabel] = name;
        labels[LegacyControllerUidLabel] = uid;
        labels[LegacyJobNameLabel] = name;

        var generated = new JsonObject { ["matchLabels"] = new JsonObject { [JobControllerUidLabel] = uid } };
        if (spec["selector"] is null) spec["selector"] = generated;
        else if (!JsonNode.DeepEquals(spec["selector"], generated))
            errors.Add(FieldError.Invalid("spec.selector", spec["selector"]!.DeepClone(), "`selector` not auto-generated"));
    }

    private static void ValidateJobSpec(JsonObject spec, string path, List<FieldError> errors, bool requireSelector)
    {
        foreach (var field in new[] { "parallelism", "completions", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished" })
            NonNegative(spec, field, path, errors);

        var mode = spec.Str("completionMode");
        if (mode is not null && !CompletionModes.Contains(mode))
            errors.Add(FieldError.NotSupported(path + ".completionMode", mode, CompletionModes));
        if (mode == "Indexed" && spec["completions"] is null)
            errors.Add(FieldError.Required(path + ".completions", "when completion mode is Indexed"));

        var template = spec.Obj("template");
        var templatePath = path + ".template";
        AdmitTemplate(template, templatePath, errors, JobRestartPolicies, defaultRestartPolicy: false);

        if (spec["selector"] is JsonObject selector)
        {
            var selectorErrors = LabelSelectorValidation.Validate(selector, path + ".selector");
            errors.AddRange(selectorErrors);
            var labels = KubeObject.StringMap(template["metadata"]?["labels"]);
            if (selectorErrors.Count == 0 && !LabelSelectorValidation.Matches(selector, labels))
                errors.Add(FieldError.Invalid(templatePath + ".metadata.labels", template["metadata"]?["labels"]?.DeepClone() ?? new JsonObject(), SelectorMismatch));
        }
        else if (requireSelector)
        {
            errors.Add(FieldError.Required(path + ".selector", ""));
        }
    }

    private static void AdmitCronJob(JsonObject spec, List<FieldError> errors)
    {
        if (spec["concurrencyPolicy"] is null) spec["concurrencyPolicy"] = "Allow";
        if (spec["suspend"] is null) spec["suspend"] = false;
        if (spec["successfulJobsHistoryLimit"] is null) spec["successfulJobsHistoryLimit"] = 3;
        if (spec["failedJobsHistoryLimit"] is null) spec["failedJobsHistoryLimit"] = 1;

        var schedule = spec.Str("schedule") ?? "";
        if (schedule.Length == 0) errors.Add(FieldError.Required("spec.schedule", ""));
        else if (CronScheduleValidation.Validate(schedule) is { } error) errors.Add(FieldError.Invalid("spec.schedule", schedule, error));

        if (spec.Str("timeZone") is { } tz) ValidateTimeZone(tz, errors);

        var policy = spec.Str("concurrencyPolicy") ?? "";
        if (!ConcurrencyPolicies.Contains(policy)) errors.Add(FieldError.NotSupported("spec.concurrencyPolicy", policy, ConcurrencyPolicies));
        foreach (var field in new[] { "startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit" })
            NonNegative(spec, field, "spec", errors);

        // The Jobs a CronJob creates get their own selector when created; the template needs none.
        var jobTemplate = spec.Obj("jobTemplate");
        ValidateJobSpec(jobTemplate.Obj("spec"), "spec.jobTemplate.spec", errors, requireSelector: false);
    }

    private static void ValidateTimeZone(string tz, List<FieldError> errors)
    {
        // "Local" would mean the server's own zone, which differs between hosts; upstream refuses it.
        if (tz == "Local" || tz.Length == 0)
        {
            errors.Add(FieldError.Invalid("spec.timeZone", tz, "must be an explicit time zone as defined in https://www.iana.org/time-zones"));
            return;
        }
        if (TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _)) return;
        // A host without a zone database cannot judge any name; refusing all of them would break valid CronJobs.
        if (TimeZoneInfo.GetSystemTimeZones().Count == 0) return;
        errors.Add(FieldError.Invalid("spec.timeZone", tz, $"unknown time zone {tz}"));
    }

    // --- shared ------------------------------------------------------------------------------------------

    private static void AdmitTemplate(JsonObject template, string path, List<FieldError> errors,
        IReadOnlyList<string> restartPolicies, bool defaultRestartPolicy)
    {
        if (template["metadata"] is JsonObject meta)
        {
            errors.AddRange(MetadataValidation.ValidateLabels(meta["labels"], path + ".metadata.labels"));
            errors.AddRange(MetadataValidation.ValidateAnnotations(meta["annotations"], path + ".metadata.annotations"));
        }
        var spec = template.Obj("spec");
        PodSpecDefaults.Apply(spec, defaultRestartPolicy);
        PodSpecValidator.Validate(spec, path + ".spec", errors, restartPolicies);
    }

    private static void NonNegative(JsonObject obj, string field, string path, List<FieldError> errors)
    {
        if (obj.Long(field) is < 0 and var v) errors.Add(FieldError.Invalid($"{path}.{field}", v, PodSpecValidator.NonNegative));
    }
}
