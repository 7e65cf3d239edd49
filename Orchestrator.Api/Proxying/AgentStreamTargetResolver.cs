using System.Text.Json.Nodes;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Proxying;

/// <summary>
/// Finds where a pod's logs, exec, attach or port-forward are served, with the API server's errors for what is not
/// there: the container (defaulted as upstream: the only container, else the <c>kubectl.kubernetes.io/default-container</c>
/// annotation), the pod's node, and the node's InternalIP and streaming port
/// (<c>status.daemonEndpoints.kubeletEndpoint.Port</c>, which the agent reports).
/// </summary>
public sealed class AgentStreamTargetResolver(ResourceRegistry registry)
{
    public const string DefaultContainerAnnotation = "kubectl.kubernetes.io/default-container";

    public AgentStreamTarget Resolve(ApiPath path, string? requestedContainer, bool needsContainer)
    {
        var pod = registry.Get(path.Kind, path.Namespace, path.Name!);
        var name = path.Name!;
        var container = needsContainer ? Container(pod, name, requestedContainer) : null;

        var nodeName = pod["spec"].Str("nodeName");
        if (string.IsNullOrEmpty(nodeName))
            throw ApiException.BadRequest($"pod {name} does not have a host assigned");
        var nodeKind = registry.Catalog.FindByPlural("", "v1", "nodes")!;
        var node = registry.TryGetStored(nodeKind, null, nodeName)?.Parse()
            ?? throw new ApiException(404, "NotFound",
                $"nodes \"{nodeName}\" not found: pod {name} is bound to a node that is not registered, so no agent serves its streams")
            { Name = nodeName, Kind = "nodes" };

        var status = node["status"] as JsonObject;
        var address = (status?["addresses"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(a => a.Str("type") == "InternalIP").Str("address");
        if (string.IsNullOrEmpty(address))
            throw new ApiException(503, "ServiceUnavailable", $"node \"{nodeName}\" reports no InternalIP address to reach its agent");
        var port = status?["daemonEndpoints"]?["kubeletEndpoint"]?["Port"] is JsonValue v && v.TryGetValue<int>(out var p) ? p : 0;
        if (port is <= 0 or > 65535)
            throw new ApiException(503, "ServiceUnavailable",
                $"node \"{nodeName}\" reports no agent streaming port (status.daemonEndpoints.kubeletEndpoint.Port)");
        return new AgentStreamTarget(nodeName, address, port, path.Namespace!, name, pod["metadata"].Str("uid") ?? "", container);
    }

    private static string Container(JsonObject pod, string podName, string? requested)
    {
        var spec = pod["spec"] as JsonObject;
        var app = Names(spec?["containers"]);
        var init = Names(spec?["initContainers"]);
        if (!string.IsNullOrEmpty(requested))
        {
            if (app.Contains(requested) || init.Contains(requested)) return requested;
            throw ApiException.BadRequest($"container {requested} is not valid for pod {podName}");
        }
        if (app.Count == 1) return app[0];
        if (pod["metadata"]?["annotations"].Str(DefaultContainerAnnotation) is { Length: > 0 } annotated && app.Contains(annotated))
            return annotated;
        var message = $"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', app)}]";
        if (init.Count > 0) message += $" or one of the init containers: [{string.Join(' ', init)}]";
        throw ApiException.BadRequest(message);
    }

    private static List<string> Names(JsonNode? list) =>
        (list as JsonArray)?.OfType<JsonObject>().Select(c => c.Str("name")).OfType<string>().ToList() ?? [];
}
