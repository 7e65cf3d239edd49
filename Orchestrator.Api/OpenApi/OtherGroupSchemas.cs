using static Orchestrator.Api.OpenApi.SchemaDsl;

namespace Orchestrator.Api.OpenApi;

/// <summary>discovery.k8s.io/v1 EndpointSlice, coordination.k8s.io/v1 Lease and events.k8s.io/v1 Event.</summary>
internal static class OtherGroupSchemas
{
    public static void Register(SchemaRegistry r)
    {
        r.Kind(Disc + "EndpointSlice", "discovery.k8s.io", "v1", "EndpointSlice",
            "A subset of the endpoints of a service; a service may be backed by several slices.",
            Req(Enum("addressType", "Type of every address in the slice.", "FQDN", "IPv4", "IPv6")),
            Req(List("endpoints", Disc + "Endpoint", "The endpoints of the slice; at most 1000.")),
            List("ports", Disc + "EndpointPort", "Ports exposed by every endpoint of the slice."));
        r.Add(Disc + "Endpoint", Obj("One endpoint of a slice.",
            Req(StrList("addresses", "Addresses of the endpoint, of the slice's addressType.", set: true)),
            Ref("conditions", Disc + "EndpointConditions", "Readiness of the endpoint."),
            Str("hostname", "Host name of the endpoint."),
            Ref("targetRef", CoreV1 + "ObjectReference", "The object (usually a pod) behind the endpoint."),
            Str("nodeName", "Node hosting the endpoint."),
            Str("zone", "Zone the endpoint is in."),
            Ref("hints", Disc + "EndpointHints", "Routing hints for topology-aware routing."),
            StrMap("deprecatedTopology", "Deprecated topology labels of the endpoint, kept for the v1beta1 form.")));
        r.Add(Disc + "EndpointConditions", Obj("Readiness of an endpoint.",
            Bool("ready", "Whether the endpoint should receive traffic."),
            Bool("serving", "Whether the endpoint can serve, even while terminating."),
            Bool("terminating", "Whether the endpoint is shutting down.")));
        r.Add(Disc + "EndpointHints", Obj("Routing hints of an endpoint.",
            List("forZones", Disc + "ForZone", "Zones that should route to this endpoint.")));
        r.Add(Disc + "ForZone", Obj("A zone name in a routing hint.",
            Req(Str("name", "Zone name."))));
        r.Add(Disc + "EndpointPort", Obj("One port of the endpoints in a slice.",
            Str("name", "Name matching the service port name."),
            Enum("protocol", "IP protocol; defaults to TCP.", "SCTP", "TCP", "UDP"),
            Int("port", "Port number."),
            Str("appProtocol", "Application protocol hint.")));

        r.Kind(Coord + "Lease", "coordination.k8s.io", "v1", "Lease", "A lock or heartbeat record held by one holder for a limited time.",
            Ref("spec", Coord + "LeaseSpec", "Holder and timing of the lease."));
        r.Add(Coord + "LeaseSpec", Obj("Holder and timing of a lease.",
            Str("holderIdentity", "Identity of the current holder."),
            Int("leaseDurationSeconds", "Seconds candidates wait after the last renewal before taking the lease."),
            Ref("acquireTime", MicroTime, "When the current holder acquired the lease."),
            Ref("renewTime", MicroTime, "When the holder last renewed the lease."),
            Int("leaseTransitions", "How many times the lease changed hands."),
            Str("strategy", "Strategy used to pick the next holder in coordinated election."),
            Str("preferredHolder", "Holder that should take the lease next.")));

        r.Kind(Events + "Event", "events.k8s.io", "v1", "Event", "A report of something that happened to an object.",
            Req(Ref("eventTime", MicroTime, "When the event was first observed.")),
            Ref("series", Events + "EventSeries", "Data about a repeating series of this event."),
            Str("reportingController", "Controller that emitted the event, such as kubernetes.io/kubelet."),
            Str("reportingInstance", "Instance of that controller."),
            Str("action", "What action was taken or failed."),
            Str("reason", "Brief CamelCase reason."),
            Ref("regarding", CoreV1 + "ObjectReference", "The object the event is about."),
            Ref("related", CoreV1 + "ObjectReference", "A secondary object involved."),
            Str("note", "Human-readable description."),
            Enum("type", "Severity of the event.", "Normal", "Warning"),
            Ref("deprecatedSource", CoreV1 + "EventSource", "Source field of the older core/v1 form."),
            Timestamp("deprecatedFirstTimestamp", "firstTimestamp of the older core/v1 form."),
            Timestamp("deprecatedLastTimestamp", "lastTimestamp of the older core/v1 form."),
            Int("deprecatedCount", "count of the older core/v1 form."));
        r.Add(Events + "EventSeries", Obj("A repeated event.",
            Req(Int("count", "Occurrences so far.")),
            Req(Ref("lastObservedTime", MicroTime, "Time of the last occurrence."))));
    }
}
