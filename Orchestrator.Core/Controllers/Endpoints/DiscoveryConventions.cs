namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>The well-known names the endpoints, EndpointSlice and load-balancer controllers read and write.</summary>
public static class DiscoveryConventions
{
    public const string EndpointSliceApiVersion = "discovery.k8s.io/v1";

    /// <summary>Every EndpointSlice names its Service with this label; proxies and DNS select slices by it.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    public const string ManagedByLabel = "endpointslice.kubernetes.io/managed-by";

    /// <summary>The managed-by value of slices built from pods.</summary>
    public const string SliceControllerName = "endpointslice-controller.k8s.io";

    /// <summary>The managed-by value of slices copied from hand-written Endpoints.</summary>
    public const string MirroringControllerName = "endpointslicemirroring-controller.k8s.io";

    /// <summary>An Endpoints object carrying <c>"true"</c> here is never mirrored (the <c>kubernetes</c> Endpoints has it).</summary>
    public const string SkipMirrorLabel = "endpointslice.kubernetes.io/skip-mirror";

    /// <summary>Set (empty value) on Endpoints and slices of services without a cluster IP.</summary>
    public const string HeadlessLabel = "service.kubernetes.io/headless";

    public const string OverCapacityAnnotation = "endpoints.kubernetes.io/over-capacity";
    public const string OverCapacityTruncated = "truncated";

    /// <summary>When the pod or service change that led to this write happened (network-programming latency SLI).</summary>
    public const string LastChangeTriggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time";

    /// <summary>Leader-election records kept in Endpoints by old components; such objects are neither deleted nor mirrored.</summary>
    public const string LeaderElectionAnnotation = "control-plane.alpha.kubernetes.io/leader";

    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    public const string ZoneLabel = "topology.kubernetes.io/zone";

    /// <summary>An Endpoints object holds at most this many addresses; beyond it the controller truncates.</summary>
    public const int MaxEndpointsAddresses = 1000;

    /// <summary>Upstream's default --max-endpoints-per-slice.</summary>
    public const int MaxEndpointsPerSlice = 100;

    /// <summary>The mirroring controller copies at most this many addresses of one Endpoints subset.</summary>
    public const int MaxMirroredPerSubset = 1000;
}
