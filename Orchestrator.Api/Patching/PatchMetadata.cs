using System.Collections.Frozen;

namespace Orchestrator.Api.Patching;

/// <summary>
/// The subset of the Kubernetes <c>patchMergeKey</c>/<c>patchStrategy</c> tags (k8s.io/api) that the built-in kinds need,
/// written as a small type graph so one entry for <c>PodSpec</c> serves Pods, every pod template
/// (<c>spec.template.spec</c>) and CronJobs (<c>spec.jobTemplate.spec.template.spec</c>).
/// Lists not listed here are atomic, which is also the upstream default for fields without tags.
/// </summary>
public static class PatchMetadata
{
    private const string ObjectMeta = "ObjectMeta";
    private const string PodTemplateSpec = "PodTemplateSpec";
    private const string PodSpec = "PodSpec";
    private const string Container = "Container";
    private const string ConditionedStatus = "ConditionedStatus";
    private const string Struct = "Struct";
    private const string Unknown = "Unknown";

    private static readonly PatchField Selector = new(AtomicMap: true);

    /// <summary>
    /// Named types, plus one root type per known kind named "group/Kind" ("/Pod" for the core group);
    /// the slash keeps root names apart from type names.
    /// </summary>
    private static readonly FrozenDictionary<string, FrozenDictionary<string, PatchField>> Types = BuildTypes();

    private static FrozenDictionary<string, FrozenDictionary<string, PatchField>> BuildTypes()
    {
        var types = new Dictionary<string, Dictionary<string, PatchField>>
        {
            // A struct with no interesting fields; typed only so apply does not record it as an owned map.
            [Struct] = new(),
            [ObjectMeta] = new()
            {
                ["finalizers"] = new(SetMerge: true),
                ["ownerReferences"] = new(MergeKey: "uid"),
            },
            [ConditionedStatus] = new() { ["conditions"] = new(MergeKey: "type") },
            [PodTemplateSpec] = new() { ["metadata"] = new(ObjectMeta), ["spec"] = new(PodSpec) },
            [PodSpec] = new()
            {
                ["containers"] = new(Container, "name"),
                ["initContainers"] = new(Container, "name"),
                ["ephemeralContainers"] = new(Container, "name"),
                ["volumes"] = new(MergeKey: "name"),
                ["imagePullSecrets"] = new(MergeKey: "name"),
                ["hostAliases"] = new(MergeKey: "ip"),
                ["topologySpreadConstraints"] = new(MergeKey: "topologyKey"),
                ["schedulingGates"] = new(MergeKey: "name"),
                ["resourceClaims"] = new(MergeKey: "name"),
                ["affinity"] = new(Struct),
                ["securityContext"] = new(Struct),
            },
            [Container] = new()
            {
                ["ports"] = new(MergeKey: "containerPort", ApplyKeys: ["containerPort", "protocol"]),
                ["env"] = new(MergeKey: "name"),
                ["volumeMounts"] = new(MergeKey: "mountPath"),
                ["volumeDevices"] = new(MergeKey: "devicePath"),
                ["resources"] = new(Struct),
                ["securityContext"] = new(Struct),
            },
            ["PodStatus"] = new()
            {
                ["conditions"] = new(MergeKey: "type"),
                ["podIPs"] = new(MergeKey: "ip"),
                ["hostIPs"] = new(MergeKey: "ip"),
                ["resourceClaimStatuses"] = new(MergeKey: "name"),
            },
            ["WorkloadSpec"] = new()
            {
                ["template"] = new(PodTemplateSpec),
                ["selector"] = Selector,
                ["strategy"] = new(Struct),
                ["updateStrategy"] = new(Struct),
            },
            ["JobSpec"] = new() { ["template"] = new(PodTemplateSpec), ["selector"] = Selector },
            ["JobTemplateSpec"] = new() { ["metadata"] = new(ObjectMeta), ["spec"] = new("JobSpec") },
            ["CronJobSpec"] = new() { ["jobTemplate"] = new("JobTemplateSpec") },
            ["ServiceSpec"] = new() { ["ports"] = new(MergeKey: "port", ApplyKeys: ["port", "protocol"]) },
            ["NodeSpec"] = new() { ["podCIDRs"] = new(SetMerge: true) },
            ["NodeStatus"] = new()
            {
                ["addresses"] = new(MergeKey: "type"),
                ["conditions"] = new(MergeKey: "type"),
            },
            // Kinds without metadata still get ObjectMeta: finalizers and ownerReferences are the same for every object.
            [Unknown] = new() { ["metadata"] = new(ObjectMeta) },
            ["/PodTemplate"] = new() { ["metadata"] = new(ObjectMeta), ["template"] = new(PodTemplateSpec) },
            ["/ServiceAccount"] = new() { ["metadata"] = new(ObjectMeta), ["secrets"] = new(MergeKey: "name") },
        };

        void Root(string group, string kind, string? spec, string? status = ConditionedStatus)
        {
            var fields = new Dictionary<string, PatchField> { ["metadata"] = new(ObjectMeta) };
            if (spec != null) fields["spec"] = new(spec);
            if (status != null) fields["status"] = new(status);
            types[$"{group}/{kind}"] = fields;
        }

        Root("", "Pod", PodSpec, "PodStatus");
        Root("", "ReplicationController", "WorkloadSpec");
        Root("", "Service", "ServiceSpec");
        Root("", "Node", "NodeSpec", "NodeStatus");
        Root("", "Namespace", null);
        Root("", "PersistentVolumeClaim", null);
        Root("", "PersistentVolume", null);
        Root("", "Endpoints", null, null);
        Root("", "ConfigMap", null, null);
        Root("", "Secret", null, null);
        Root("", "Event", null, null);
        Root("apps", "Deployment", "WorkloadSpec");
        Root("apps", "ReplicaSet", "WorkloadSpec");
        Root("apps", "StatefulSet", "WorkloadSpec");
        Root("apps", "DaemonSet", "WorkloadSpec");
        Root("batch", "Job", "JobSpec");
        Root("batch", "CronJob", "CronJobSpec");
        // Known so that kubectl's strategic merge patches are accepted; all their lists are atomic upstream.
        Root("", "ResourceQuota", null, null);
        Root("", "LimitRange", null, null);
        Root("apps", "ControllerRevision", null, null);
        Root("discovery.k8s.io", "EndpointSlice", null, null);
        Root("coordination.k8s.io", "Lease", null, null);
        Root("events.k8s.io", "Event", null, null);

        return types.ToFrozenDictionary(t => t.Key, t => t.Value.ToFrozenDictionary());
    }

    /// <summary>True when the kind has compiled-in patch metadata (kubectl only sends strategic merge patches for those).</summary>
    public static bool IsKnown(string group, string kind) => Types.ContainsKey($"{group}/{kind}");

    /// <summary>Schema of the whole object of a kind; unknown kinds get only <c>metadata</c>.</summary>
    public static PatchSchema Root(string group, string kind) =>
        new(Types.ContainsKey($"{group}/{kind}") ? $"{group}/{kind}" : Unknown);

    /// <summary>
    /// Metadata of the field at <paramref name="path"/> (object field names; list elements are not path steps),
    /// e.g. <c>Lookup("apps", "Deployment", "spec", "template", "spec", "containers")</c> gives merge key <c>name</c>.
    /// </summary>
    public static PatchField Lookup(string group, string kind, params string[] path)
    {
        var schema = Root(group, kind);
        var field = PatchField.Untyped;
        foreach (var step in path)
        {
            field = schema.Field(step);
            schema = new PatchSchema(field.Type);
        }
        return field;
    }

    internal static PatchField FieldOf(string? typeName, string field)
    {
        if (typeName == null) return PatchField.Untyped;
        return Types.TryGetValue(typeName, out var fields) && fields.TryGetValue(field, out var f) ? f : PatchField.Untyped;
    }
}
