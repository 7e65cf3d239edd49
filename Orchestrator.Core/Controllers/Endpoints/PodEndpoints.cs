using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Orchestrator.Core.Controllers.Pods;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>How a pod appears as an endpoint of a Service: whether it does, on which IP, with which port numbers.</summary>
public static class PodEndpoints
{
    /// <summary>
    /// Upstream's ShouldPodBeInEndpoints: finished pods (Succeeded/Failed) never, pods without an IP never, and pods
    /// being deleted only when <paramref name="includeTerminating"/> (publishNotReadyAddresses for Endpoints; always
    /// for EndpointSlices, which mark them with the terminating condition instead).
    /// </summary>
    public static bool ShouldBeInEndpoints(JsonObject pod, bool includeTerminating)
    {
        if (PodStatus.Phase(pod) is "Succeeded" or "Failed") return false;
        if (AllIps(pod).Count == 0) return false;
        return includeTerminating || !PodStatus.IsTerminating(pod);
    }

    /// <summary>The pod's IPs: status.podIPs, falling back to status.podIP.</summary>
    public static IReadOnlyList<string> AllIps(JsonObject pod)
    {
        var result = new List<string>();
        if (pod["status"]?["podIPs"] is JsonArray ips)
            foreach (var entry in ips)
                if (entry.Str("ip") is { Length: > 0 } ip && !result.Contains(ip)) result.Add(ip);
        if (pod["status"].Str("podIP") is { Length: > 0 } primary && !result.Contains(primary)) result.Insert(0, primary);
        return result;
    }

    /// <summary>The pod's IP of the given family ("IPv4" or "IPv6"), or null when it has none.</summary>
    public static string? IpFor(JsonObject pod, string family)
    {
        var wantV6 = family == "IPv6";
        foreach (var ip in AllIps(pod))
            if (IPAddress.TryParse(ip, out var parsed) && (parsed.AddressFamily == AddressFamily.InterNetworkV6) == wantV6)
                return ip;
        return null;
    }

    /// <summary>A pod's hostname is published only for the Service its spec.subdomain names (StatefulSet pattern).</summary>
    public static bool ShouldSetHostname(JsonObject pod, JsonObject svc) =>
        pod["spec"].Str("hostname") is { Length: > 0 } &&
        pod["spec"].Str("subdomain") == svc.Name() &&
        pod.Namespace() == svc.Namespace();

    /// <summary>
    /// The port a Service port reaches on this pod: a numeric targetPort as it is, a named one looked up among the
    /// pod's container ports (and sidecar init containers) with the same name and protocol. Null when the name is
    /// not found: that pod is then left out for this port, as upstream does.
    /// </summary>
    public static long? FindPort(JsonObject pod, JsonObject servicePort)
    {
        var protocol = servicePort.Str("protocol") is { Length: > 0 } p ? p : "TCP";
        switch (servicePort["targetPort"])
        {
            case JsonValue v when v.TryGetValue<string>(out var name):
                foreach (var container in Containers(pod))
                    if (container?["ports"] is JsonArray ports)
                        foreach (var port in ports)
                        {
                            var portProtocol = port.Str("protocol") is { Length: > 0 } pp ? pp : "TCP";
                            if (port.Str("name") == name && portProtocol == protocol && port.Long("containerPort") is { } number)
                                return number;
                        }
                return null;
            case JsonValue:
                return servicePort.Long("targetPort") is { } n and > 0 ? n : null;
            default:
                return servicePort.Long("port");
        }
    }

    private static IEnumerable<JsonNode?> Containers(JsonObject pod)
    {
        if (pod["spec"]?["containers"] is JsonArray containers)
            foreach (var c in containers) yield return c;
        if (pod["spec"]?["initContainers"] is JsonArray inits)
            foreach (var c in inits)
                if (c.Str("restartPolicy") == "Always") yield return c;
    }

    /// <summary>The targetRef of an endpoint: kind, namespace, name and uid of the pod (never its resourceVersion).</summary>
    public static JsonObject TargetRef(JsonObject pod) => new()
    {
        ["kind"] = "Pod",
        ["namespace"] = pod.Namespace(),
        ["name"] = pod.Name(),
        ["uid"] = pod.Uid(),
    };
}
