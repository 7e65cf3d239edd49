namespace Orchestrator.Core.Model;

/// <summary>The built-in kinds by name, for code that works with one specific kind.</summary>
public static class Kinds
{
    private static ResourceKind Of(string group, string plural) =>
        ResourceCatalog.Default.FindByPlural(group, "v1", plural) ?? throw new InvalidOperationException($"{plural} is not in the catalog");

    public static readonly ResourceKind Pod = Of("", "pods");
    public static readonly ResourceKind Service = Of("", "services");
    public static readonly ResourceKind Endpoints = Of("", "endpoints");
    public static readonly ResourceKind Namespace = Of("", "namespaces");
    public static readonly ResourceKind Node = Of("", "nodes");
    public static readonly ResourceKind Event = Of("", "events");
    public static readonly ResourceKind ConfigMap = Of("", "configmaps");
    public static readonly ResourceKind Secret = Of("", "secrets");
    public static readonly ResourceKind ReplicationController = Of("", "replicationcontrollers");
    public static readonly ResourceKind Deployment = Of("apps", "deployments");
    public static readonly ResourceKind ReplicaSet = Of("apps", "replicasets");
    public static readonly ResourceKind DaemonSet = Of("apps", "daemonsets");
    public static readonly ResourceKind ControllerRevision = Of("apps", "controllerrevisions");
    public static readonly ResourceKind Job = Of("batch", "jobs");
    public static readonly ResourceKind CronJob = Of("batch", "cronjobs");
    public static readonly ResourceKind EndpointSlice = Of("discovery.k8s.io", "endpointslices");
    public static readonly ResourceKind Lease = Of("coordination.k8s.io", "leases");
}
