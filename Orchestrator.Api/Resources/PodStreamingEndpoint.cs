using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Resources;

/// <summary>
/// pods/log, pods/exec and pods/attach. The streams come from the agent of the pod's node; until a node agent
/// registers a kubelet endpoint (issue 4) the request fails with the error a real apiserver gives for that state.
/// </summary>
public sealed class PodStreamingEndpoint(ResourceRegistry registry)
{
    public Task HandleAsync(HttpContext ctx, ApiPath path)
    {
        var pod = registry.Get(path.Kind, path.Namespace, path.Name!);
        var node = pod["spec"].Str("nodeName");
        if (string.IsNullOrEmpty(node))
            throw ApiException.BadRequest($"pod {path.Name} does not have a host assigned");
        var container = ctx.Request.Query["container"].ToString();
        var nodeKind = registry.Catalog.FindByPlural("", "v1", "nodes")!;
        if (registry.TryGetStored(nodeKind, null, node) == null)
            throw ApiException.NotFound("nodes", node, "nodes", "");
        throw new ApiException(503, "ServiceUnavailable",
            $"no agent endpoint is known for node \"{node}\" to serve {path.Subresource} of container \"{container}\" in pod \"{path.Name}\"");
    }
}
