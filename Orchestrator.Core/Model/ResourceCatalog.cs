namespace Orchestrator.Core.Model;

/// <summary>
/// The resource types this server serves, in discovery order. kubectl's `get all` walks the
/// "all" category in this order, so pods, services and replicationcontrollers come first as upstream.
/// </summary>
public sealed class ResourceCatalog
{
    private static readonly string[] StatusVerbs = ["get", "patch", "update"];

    private readonly Dictionary<(string Group, string Plural), ResourceKind> _byPlural = new();
    private readonly Dictionary<(string Group, string Kind), ResourceKind> _byKind = new();

    public IReadOnlyList<ResourceKind> Kinds { get; }

    public ResourceCatalog(IEnumerable<ResourceKind> kinds)
    {
        Kinds = kinds.ToList();
        foreach (var k in Kinds)
        {
            _byPlural[(k.Group, k.Plural)] = k;
            _byKind[(k.Group, k.Kind)] = k;
        }
    }

    public static ResourceCatalog Default { get; } = new(BuiltIn());

    public ResourceKind? FindByPlural(string group, string version, string plural) =>
        _byPlural.TryGetValue((group, plural), out var k) && k.Version == version ? k : null;

    public ResourceKind? FindByKind(string group, string version, string kind) =>
        _byKind.TryGetValue((group, kind), out var k) && k.Version == version ? k : null;

    /// <summary>Finds a kind from an object's apiVersion ("v1", "apps/v1") and kind.</summary>
    public ResourceKind? FindByApiVersionKind(string? apiVersion, string? kind)
    {
        if (string.IsNullOrEmpty(apiVersion) || string.IsNullOrEmpty(kind)) return null;
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        return FindByKind(group, version, kind);
    }

    public IEnumerable<string> Groups => Kinds.Select(k => k.Group).Distinct();

    private static SubresourceInfo Status(string group, string version, string kind) =>
        new("status", group, version, kind, StatusVerbs);

    private static SubresourceInfo Scale() => new("scale", "autoscaling", "v1", "Scale", StatusVerbs);

    private static IEnumerable<ResourceKind> BuiltIn()
    {
        string[] none = [];
        string[] all = ["all"];
        ResourceKind Core(string kind, string plural, bool namespaced, string[] shortNames, string[] categories, params SubresourceInfo[] subs) =>
            new("", "v1", kind, plural, kind.ToLowerInvariant(), namespaced, shortNames, categories, subs);
        ResourceKind Grp(string group, string kind, string plural, bool namespaced, string[] shortNames, string[] categories, params SubresourceInfo[] subs) =>
            new(group, "v1", kind, plural, kind.ToLowerInvariant(), namespaced, shortNames, categories, subs);

        yield return Core("Pod", "pods", true, ["po"], all,
            Status("", "v1", "Pod"),
            new SubresourceInfo("binding", "", "v1", "Binding", ["create"]),
            new SubresourceInfo("eviction", "policy", "v1", "Eviction", ["create"]),
            new SubresourceInfo("log", "", "v1", "Pod", ["get"]),
            new SubresourceInfo("exec", "", "v1", "PodExecOptions", ["create", "get"]),
            new SubresourceInfo("attach", "", "v1", "PodAttachOptions", ["create", "get"]),
            new SubresourceInfo("portforward", "", "v1", "PodPortForwardOptions", ["create", "get"]));
        yield return Core("Service", "services", true, ["svc"], all, Status("", "v1", "Service"));
        yield return Core("ReplicationController", "replicationcontrollers", true, ["rc"], all,
            Status("", "v1", "ReplicationController"), Scale());
        yield return Core("Namespace", "namespaces", false, ["ns"], none, Status("", "v1", "Namespace"));
        yield return Core("Node", "nodes", false, ["no"], none, Status("", "v1", "Node"));
        yield return Core("Endpoints", "endpoints", true, ["ep"], none);
        yield return Core("Event", "events", true, ["ev"], none);
        yield return Core("ConfigMap", "configmaps", true, ["cm"], none);
        yield return Core("Secret", "secrets", true, none, none);
        yield return Core("ServiceAccount", "serviceaccounts", true, ["sa"], none);
        yield return Core("ResourceQuota", "resourcequotas", true, ["quota"], none, Status("", "v1", "ResourceQuota"));
        yield return Core("LimitRange", "limitranges", true, ["limits"], none);

        yield return Grp("apps", "Deployment", "deployments", true, ["deploy"], all, Status("apps", "v1", "Deployment"), Scale());
        yield return Grp("apps", "ReplicaSet", "replicasets", true, ["rs"], all, Status("apps", "v1", "ReplicaSet"), Scale());
        yield return Grp("apps", "DaemonSet", "daemonsets", true, ["ds"], all, Status("apps", "v1", "DaemonSet"));
        yield return Grp("apps", "ControllerRevision", "controllerrevisions", true, none, none);

        yield return Grp("batch", "Job", "jobs", true, none, all, Status("batch", "v1", "Job"));
        yield return Grp("batch", "CronJob", "cronjobs", true, ["cj"], all, Status("batch", "v1", "CronJob"));

        yield return Grp("discovery.k8s.io", "EndpointSlice", "endpointslices", true, none, none);
        yield return Grp("coordination.k8s.io", "Lease", "leases", true, none, none);
        yield return Grp("events.k8s.io", "Event", "events", true, ["ev"], none);
    }
}
