using static Orchestrator.Api.OpenApi.SchemaDsl;

namespace Orchestrator.Api.OpenApi;

/// <summary>core/v1 kinds other than Pod: services, endpoints, namespaces, nodes, events, config and quota objects.</summary>
internal static class CoreV1Schemas
{
    public static void Register(SchemaRegistry r)
    {
        Services(r);
        Nodes(r);
        Misc(r);
    }

    private static void Services(SchemaRegistry r)
    {
        r.Kind(CoreV1 + "Service", "", "v1", "Service", "A named, stable network endpoint for a set of pods chosen by a label selector.",
            Ref("spec", CoreV1 + "ServiceSpec", "Desired behaviour of the service."),
            Ref("status", CoreV1 + "ServiceStatus", "Most recently observed state of the service, such as load balancer addresses."));
        r.Add(CoreV1 + "ServiceSpec", Obj("Desired behaviour of a service.",
            List("ports", CoreV1 + "ServicePort", "Ports the service exposes.", "port", "merge", "port", "protocol"),
            StrMap("selector", "Pods whose labels match this map receive the service's traffic; empty means endpoints are managed by hand."),
            Str("clusterIP", "Virtual IP of the service inside the cluster; None makes a headless service. Assigned by the server when empty."),
            StrList("clusterIPs", "All cluster IPs of the service, one per IP family; the first equals clusterIP."),
            Enum("type", "How the service is exposed; defaults to ClusterIP.", "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"),
            StrList("externalIPs", "Extra IP addresses on which nodes accept traffic for the service."),
            Enum("sessionAffinity", "Whether a client is kept on the same pod; defaults to None.", "ClientIP", "None"),
            Str("loadBalancerIP", "Deprecated: requested address for a LoadBalancer service."),
            StrList("loadBalancerSourceRanges", "Client CIDRs allowed through a cloud load balancer."),
            Str("externalName", "DNS name returned as a CNAME for an ExternalName service."),
            Enum("externalTrafficPolicy", "Whether external traffic is routed only to node-local endpoints.", "Cluster", "Local"),
            Int("healthCheckNodePort", "Node port for load balancer health checks when externalTrafficPolicy is Local."),
            Bool("publishNotReadyAddresses", "Publish endpoints of pods that are not ready yet."),
            Ref("sessionAffinityConfig", CoreV1 + "SessionAffinityConfig", "Settings for session affinity."),
            StrList("ipFamilies", "IP families (IPv4, IPv6) assigned to the service."),
            Enum("ipFamilyPolicy", "Single- or dual-stack behaviour.", "PreferDualStack", "RequireDualStack", "SingleStack"),
            Bool("allocateLoadBalancerNodePorts", "Whether node ports are allocated for LoadBalancer services; defaults to true."),
            Str("loadBalancerClass", "Load balancer implementation that should handle the service."),
            Enum("internalTrafficPolicy", "Whether in-cluster traffic is routed only to node-local endpoints.", "Cluster", "Local"),
            Str("trafficDistribution", "Preference for how traffic is spread over endpoints, such as PreferClose.")));
        r.Add(CoreV1 + "ServicePort", Obj("One port of a service.",
            Str("name", "Name of the port; required when there is more than one, and used in endpoints."),
            Enum("protocol", "IP protocol of the port; defaults to TCP.", "SCTP", "TCP", "UDP"),
            Str("appProtocol", "Application protocol hint, such as http or kubernetes.io/h2c."),
            Req(Int("port", "Port the service listens on.")),
            IntOrStr("targetPort", "Port number or named container port on the pods; defaults to port."),
            Int("nodePort", "Port on every node for NodePort and LoadBalancer services; allocated when empty.")));
        r.Add(CoreV1 + "SessionAffinityConfig", Obj("Session affinity settings.",
            Ref("clientIP", CoreV1 + "ClientIPConfig", "Settings for ClientIP affinity.")));
        r.Add(CoreV1 + "ClientIPConfig", Obj("ClientIP affinity settings.",
            Int("timeoutSeconds", "How long a client sticks to one pod; defaults to 10800.")));
        r.Add(CoreV1 + "ServiceStatus", Obj("Observed state of a service.",
            Ref("loadBalancer", CoreV1 + "LoadBalancerStatus", "Addresses of the external load balancer, if any."),
            List("conditions", Meta + "Condition", "Current conditions of the service.", "type")));
        r.Add(CoreV1 + "LoadBalancerStatus", Obj("State of a load balancer.",
            List("ingress", CoreV1 + "LoadBalancerIngress", "Ingress points of the load balancer.")));
        r.Add(CoreV1 + "LoadBalancerIngress", Obj("One ingress point of a load balancer.",
            Str("ip", "IP address of the ingress point."),
            Str("hostname", "DNS name of the ingress point."),
            Enum("ipMode", "How traffic reaches the load balancer IP.", "Proxy", "VIP"),
            List("ports", CoreV1 + "PortStatus", "Status of each service port.")));
        r.Add(CoreV1 + "PortStatus", Obj("Status of one service port.",
            Req(Int("port", "Port number.")),
            Req(Enum("protocol", "Protocol of the port.", "SCTP", "TCP", "UDP")),
            Str("error", "Problem with the port, if any.")));
        r.Add(Meta + "Condition", Obj("One aspect of an object's current state.",
            Req(Str("type", "Condition type in CamelCase.")),
            Req(Enum("status", "Whether the condition holds.", "False", "True", "Unknown")),
            Long("observedGeneration", "metadata.generation the condition was computed from."),
            Req(Timestamp("lastTransitionTime", "When the status last changed.")),
            Req(Str("reason", "Brief CamelCase reason for the last transition.")),
            Req(Str("message", "Human-readable details."))));

        r.Kind(CoreV1 + "Endpoints", "", "v1", "Endpoints", "The addresses and ports that implement a service.",
            List("subsets", CoreV1 + "EndpointSubset", "Groups of addresses that share the same ports."));
        r.Add(CoreV1 + "EndpointSubset", Obj("Addresses sharing a set of ports.",
            List("addresses", CoreV1 + "EndpointAddress", "Addresses of ready endpoints."),
            List("notReadyAddresses", CoreV1 + "EndpointAddress", "Addresses of endpoints that are not ready."),
            List("ports", CoreV1 + "EndpointPort", "Ports available on these addresses.")));
        r.Add(CoreV1 + "EndpointAddress", Obj("One endpoint address.",
            Req(Str("ip", "IP address of the endpoint.")),
            Str("hostname", "Host name of the endpoint."),
            Str("nodeName", "Node hosting the endpoint."),
            Ref("targetRef", CoreV1 + "ObjectReference", "The object (usually a pod) behind the address.")));
        r.Add(CoreV1 + "EndpointPort", Obj("One endpoint port.",
            Str("name", "Name matching the service port name."),
            Req(Int("port", "Port number.")),
            Enum("protocol", "IP protocol; defaults to TCP.", "SCTP", "TCP", "UDP"),
            Str("appProtocol", "Application protocol hint.")));
        r.Add(CoreV1 + "ObjectReference", Obj("Points to another object, possibly in another namespace.",
            Str("kind", "Kind of the referent."),
            Str("namespace", "Namespace of the referent."),
            Str("name", "Name of the referent."),
            Str("uid", "UID of the referent."),
            Str("apiVersion", "API version of the referent."),
            Str("resourceVersion", "Specific version of the referent, if relevant."),
            Str("fieldPath", "Part of the referent meant, such as spec.containers{name}.")));
    }

    private static void Nodes(SchemaRegistry r)
    {
        r.Kind(CoreV1 + "Namespace", "", "v1", "Namespace", "A scope for names; most objects live in exactly one namespace.",
            Ref("spec", CoreV1 + "NamespaceSpec", "Desired state of the namespace."),
            Ref("status", CoreV1 + "NamespaceStatus", "Observed state of the namespace."));
        r.Add(CoreV1 + "NamespaceSpec", Obj("Desired state of a namespace.",
            StrList("finalizers", "Finalizers that must be cleared before the namespace is removed.")));
        r.Add(CoreV1 + "NamespaceStatus", Obj("Observed state of a namespace.",
            Enum("phase", "Whether the namespace is usable or being deleted.", "Active", "Terminating"),
            List("conditions", CoreV1 + "NamespaceCondition", "Current conditions of the namespace.", "type")));
        r.Add(CoreV1 + "NamespaceCondition", Obj("One condition of a namespace.",
            Req(Str("type", "Condition type.")),
            Req(Enum("status", "Whether the condition holds.", "False", "True", "Unknown")),
            Timestamp("lastTransitionTime", "When the status last changed."),
            Str("reason", "Brief reason for the last transition."),
            Str("message", "Human-readable details.")));

        r.Kind(CoreV1 + "Node", "", "v1", "Node", "A worker machine on which pods run.",
            Ref("spec", CoreV1 + "NodeSpec", "Desired configuration of the node."),
            Ref("status", CoreV1 + "NodeStatus", "Most recently observed state of the node."));
        r.Add(CoreV1 + "NodeSpec", Obj("Desired configuration of a node.",
            Str("podCIDR", "IP range assigned to pods on this node."),
            StrList("podCIDRs", "IP ranges assigned to pods on this node, one per family.", set: true),
            Str("providerID", "Identifier of the node at its infrastructure provider."),
            Bool("unschedulable", "Keep new pods off the node (cordon)."),
            List("taints", CoreV1 + "Taint", "Taints that repel pods without a matching toleration."),
            Ref("configSource", CoreV1 + "NodeConfigSource", "Deprecated: where the kubelet was told to read its configuration from."),
            Str("externalID", "Deprecated and ignored.")));
        r.Add(CoreV1 + "NodeConfigSource", Obj("Deprecated: a source of kubelet configuration.",
            Ref("configMap", CoreV1 + "ConfigMapNodeConfigSource", "A ConfigMap holding the configuration.")));
        r.Add(CoreV1 + "ConfigMapNodeConfigSource", Obj("Deprecated: a ConfigMap holding kubelet configuration.",
            Req(Str("namespace", "Namespace of the ConfigMap.")),
            Req(Str("name", "Name of the ConfigMap.")),
            Str("uid", "UID of the ConfigMap."),
            Str("resourceVersion", "Resource version of the ConfigMap."),
            Req(Str("kubeletConfigKey", "Key of the ConfigMap holding the configuration."))));
        r.Add(CoreV1 + "NodeConfigStatus", Obj("Deprecated: which kubelet configuration is in use.",
            Ref("assigned", CoreV1 + "NodeConfigSource", "Configuration the node was told to use."),
            Ref("active", CoreV1 + "NodeConfigSource", "Configuration the node uses now."),
            Ref("lastKnownGood", CoreV1 + "NodeConfigSource", "Configuration the node falls back to."),
            Str("error", "Problem applying the configuration, if any.")));
        r.Add(CoreV1 + "AttachedVolume", Obj("A volume attached to a node.",
            Req(Str("name", "Name of the attached volume.")),
            Req(Str("devicePath", "Where the device should be available on the node."))));
        r.Add(CoreV1 + "NodeRuntimeHandler", Obj("A runtime handler offered by the node's container runtime.",
            Str("name", "Handler name; empty for the default handler."),
            Ref("features", CoreV1 + "NodeRuntimeHandlerFeatures", "Features the handler supports.")));
        r.Add(CoreV1 + "NodeRuntimeHandlerFeatures", Obj("Features of a runtime handler.",
            Bool("recursiveReadOnlyMounts", "Whether recursive read-only mounts are supported."),
            Bool("userNamespaces", "Whether user namespaces are supported for pods.")));
        r.Add(CoreV1 + "NodeFeatures", Obj("Features implemented by the node.",
            Bool("supplementalGroupsPolicy", "Whether the node honours pods' supplementalGroupsPolicy.")));
        r.Add(CoreV1 + "Taint", Obj("Marks a node so that only tolerating pods are placed or kept there.",
            Req(Str("key", "Taint key.")),
            Str("value", "Taint value."),
            Req(Enum("effect", "What happens to pods that do not tolerate the taint.", "NoExecute", "NoSchedule", "PreferNoSchedule")),
            Timestamp("timeAdded", "When a NoExecute taint was added.")));
        r.Add(CoreV1 + "NodeStatus", Obj("Observed state of a node.",
            RefMap("capacity", Quantity, "Total resources of the node."),
            RefMap("allocatable", Quantity, "Resources available to pods."),
            Enum("phase", "Deprecated lifecycle phase of the node.", "Pending", "Running", "Terminated"),
            List("conditions", CoreV1 + "NodeCondition", "Current conditions, such as Ready or MemoryPressure.", "type"),
            List("addresses", CoreV1 + "NodeAddress", "Addresses through which the node is reachable.", "type"),
            Ref("daemonEndpoints", CoreV1 + "NodeDaemonEndpoints", "Endpoints of daemons running on the node."),
            Ref("nodeInfo", CoreV1 + "NodeSystemInfo", "Identifying information about the node's software."),
            List("images", CoreV1 + "ContainerImage", "Images present on the node."),
            StrList("volumesInUse", "Attachable volumes in use (mounted) on the node."),
            List("volumesAttached", CoreV1 + "AttachedVolume", "Volumes attached to the node."),
            Ref("config", CoreV1 + "NodeConfigStatus", "Deprecated: status of dynamic kubelet configuration."),
            List("runtimeHandlers", CoreV1 + "NodeRuntimeHandler", "Runtime handlers available on the node."),
            Ref("features", CoreV1 + "NodeFeatures", "Features the node implements.")));
        r.Add(CoreV1 + "NodeCondition", Obj("One condition of a node.",
            Req(Str("type", "Condition type, such as Ready or DiskPressure.")),
            Req(Enum("status", "Whether the condition holds.", "False", "True", "Unknown")),
            Timestamp("lastHeartbeatTime", "When the condition was last reported."),
            Timestamp("lastTransitionTime", "When the status last changed."),
            Str("reason", "Brief reason for the last transition."),
            Str("message", "Human-readable details.")));
        r.Add(CoreV1 + "NodeAddress", Obj("One address of a node.",
            Req(Enum("type", "Kind of address.", "ExternalDNS", "ExternalIP", "Hostname", "InternalDNS", "InternalIP")),
            Req(Str("address", "The address."))));
        r.Add(CoreV1 + "NodeDaemonEndpoints", Obj("Ports of daemons on a node.",
            Ref("kubeletEndpoint", CoreV1 + "DaemonEndpoint", "Where the kubelet listens.")));
        r.Add(CoreV1 + "DaemonEndpoint", Obj("A daemon's port.", Req(Int("Port", "Port number."))));
        r.Add(CoreV1 + "NodeSystemInfo", Obj("Software and hardware identity of a node.",
            Req(Str("machineID", "Machine ID reported by the node.")),
            Req(Str("systemUUID", "System UUID reported by the node.")),
            Req(Str("bootID", "Boot ID of the node.")),
            Req(Str("kernelVersion", "Kernel version.")),
            Req(Str("osImage", "Operating system image.")),
            Req(Str("containerRuntimeVersion", "Container runtime name and version.")),
            Req(Str("kubeletVersion", "Kubelet version.")),
            Req(Str("kubeProxyVersion", "Deprecated kube-proxy version.")),
            Req(Str("operatingSystem", "Operating system, such as linux.")),
            Req(Str("architecture", "CPU architecture, such as amd64."))));
        r.Add(CoreV1 + "ContainerImage", Obj("An image stored on a node.",
            StrList("names", "Names and digests of the image."),
            Long("sizeBytes", "Size of the image.")));
    }

    private static void Misc(SchemaRegistry r)
    {
        r.Kind(CoreV1 + "Event", "", "v1", "Event", "A report of something that happened to an object.",
            Req(Ref("involvedObject", CoreV1 + "ObjectReference", "The object the event is about.")),
            Str("reason", "Brief CamelCase reason, such as Scheduled or Pulled."),
            Str("message", "Human-readable description."),
            Ref("source", CoreV1 + "EventSource", "Component that reported the event."),
            Timestamp("firstTimestamp", "When the event was first seen."),
            Timestamp("lastTimestamp", "When the most recent occurrence was seen."),
            Int("count", "How many times the event has occurred."),
            Enum("type", "Severity of the event.", "Normal", "Warning"),
            Ref("eventTime", MicroTime, "When the event was first observed, with microsecond precision."),
            Ref("series", CoreV1 + "EventSeries", "Data about a repeating series of this event."),
            Str("action", "What action was taken or failed."),
            Ref("related", CoreV1 + "ObjectReference", "A secondary object involved."),
            Str("reportingComponent", "Controller that emitted the event."),
            Str("reportingInstance", "Instance of that controller."));
        r.Add(CoreV1 + "EventSource", Obj("Component that emitted an event.",
            Str("component", "Name of the component."),
            Str("host", "Node the component runs on.")));
        r.Add(CoreV1 + "EventSeries", Obj("A repeated event.",
            Int("count", "Occurrences so far."),
            Ref("lastObservedTime", MicroTime, "Time of the last occurrence.")));

        r.Kind(CoreV1 + "ConfigMap", "", "v1", "ConfigMap", "Non-secret configuration data for pods, as keys and values.",
            StrMap("data", "UTF-8 values by key."),
            BytesMap("binaryData", "Binary values by key, base64-encoded; keys may not overlap with data."),
            Bool("immutable", "When true, data can no longer be changed, only the object deleted."));
        r.Kind(CoreV1 + "Secret", "", "v1", "Secret", "Sensitive data, such as passwords or keys, as keys and values.",
            BytesMap("data", "Values by key, base64-encoded."),
            StrMap("stringData", "Write-only plain-text values, merged into data on write."),
            Str("type", "Kind of secret, such as Opaque or kubernetes.io/tls; used to validate its keys."),
            Bool("immutable", "When true, data can no longer be changed, only the object deleted."));
        r.Kind(CoreV1 + "ServiceAccount", "", "v1", "ServiceAccount", "An identity for processes running in pods.",
            List("secrets", CoreV1 + "ObjectReference", "Secrets pods of this account may use.", "name"),
            List("imagePullSecrets", CoreV1 + "LocalObjectReference", "Registry credentials added to pods of this account."),
            Bool("automountServiceAccountToken", "Whether pods of this account get an API token mounted by default."));

        r.Kind(CoreV1 + "ReplicationController", "", "v1", "ReplicationController",
            "Keeps a given number of pod replicas running; the older form of ReplicaSet.",
            Ref("spec", CoreV1 + "ReplicationControllerSpec", "Desired behaviour of the controller."),
            Ref("status", CoreV1 + "ReplicationControllerStatus", "Most recently observed state; may lag behind the spec."));
        r.Add(CoreV1 + "ReplicationControllerSpec", Obj("Desired behaviour of a replication controller.",
            Int("replicas", "Desired number of pods; defaults to 1."),
            Int("minReadySeconds", "Seconds a new pod must be ready before it counts as available."),
            StrMap("selector", "Labels that pods must carry to be counted; defaults to the template's labels."),
            Ref("template", CoreV1 + "PodTemplateSpec", "Template for the pods created when too few exist.")));
        r.Add(CoreV1 + "ReplicationControllerStatus", Obj("Observed state of a replication controller.",
            Req(Int("replicas", "Most recently observed number of pods.")),
            Int("fullyLabeledReplicas", "Pods whose labels match the template's."),
            Int("readyReplicas", "Pods that are ready."),
            Int("availableReplicas", "Pods that have been ready for at least minReadySeconds."),
            Long("observedGeneration", "Generation most recently acted upon."),
            List("conditions", CoreV1 + "ReplicationControllerCondition", "Current conditions.", "type")));
        r.Add(CoreV1 + "ReplicationControllerCondition", Obj("One condition of a replication controller.",
            Req(Str("type", "Condition type, such as ReplicaFailure.")),
            Req(Enum("status", "Whether the condition holds.", "False", "True", "Unknown")),
            Timestamp("lastTransitionTime", "When the status last changed."),
            Str("reason", "Brief reason for the last transition."),
            Str("message", "Human-readable details.")));

        r.Kind(CoreV1 + "ResourceQuota", "", "v1", "ResourceQuota", "Limits the total resources that the objects of one namespace may use.",
            Ref("spec", CoreV1 + "ResourceQuotaSpec", "The enforced limits."),
            Ref("status", CoreV1 + "ResourceQuotaStatus", "The limits and current usage."));
        r.Add(CoreV1 + "ResourceQuotaSpec", Obj("Enforced quota limits.",
            RefMap("hard", Quantity, "Maximum amount of each named resource."),
            StrList("scopes", "Scopes that every counted object must match, such as BestEffort or NotTerminating."),
            Ref("scopeSelector", CoreV1 + "ScopeSelector", "Scope filter written as expressions.")));
        r.Add(CoreV1 + "ScopeSelector", Obj("A selector over quota scopes.",
            List("matchExpressions", CoreV1 + "ScopedResourceSelectorRequirement", "Requirements, ANDed together.")));
        r.Add(CoreV1 + "ScopedResourceSelectorRequirement", Obj("One requirement on a quota scope.",
            Req(Str("scopeName", "The scope, such as PriorityClass.")),
            Req(Enum("operator", "How the scope relates to the values.", "DoesNotExist", "Exists", "In", "NotIn")),
            StrList("values", "Values for In and NotIn.")));
        r.Add(CoreV1 + "ResourceQuotaStatus", Obj("Quota limits and usage.",
            RefMap("hard", Quantity, "Enforced limits."),
            RefMap("used", Quantity, "Current usage in the namespace.")));

        r.Kind(CoreV1 + "LimitRange", "", "v1", "LimitRange", "Per-object resource constraints and defaults within a namespace.",
            Ref("spec", CoreV1 + "LimitRangeSpec", "The enforced limits."));
        r.Add(CoreV1 + "LimitRangeSpec", Obj("The limits of a LimitRange.",
            Req(List("limits", CoreV1 + "LimitRangeItem", "One entry per kind of object constrained."))));
        r.Add(CoreV1 + "LimitRangeItem", Obj("Limits for one kind of object.",
            Req(Enum("type", "What the limits apply to.", "Container", "PersistentVolumeClaim", "Pod")),
            RefMap("max", Quantity, "Maximum usage of each resource."),
            RefMap("min", Quantity, "Minimum usage of each resource."),
            RefMap("default", Quantity, "Limit applied when a container sets none."),
            RefMap("defaultRequest", Quantity, "Request applied when a container sets none."),
            RefMap("maxLimitRequestRatio", Quantity, "Maximum ratio of limit to request.")));
    }
}
