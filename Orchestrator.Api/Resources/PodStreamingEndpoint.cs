using Orchestrator.Api.Proxying;

namespace Orchestrator.Api.Resources;

/// <summary>
/// pods/log, pods/exec, pods/attach and pods/portforward: served by the agent of the pod's node, through
/// <see cref="PodStreamingProxy"/> (authorization has already happened in the middleware, as for any request).
/// </summary>
public sealed class PodStreamingEndpoint(PodStreamingProxy proxy)
{
    public Task HandleAsync(HttpContext ctx, ApiPath path) => proxy.HandleAsync(ctx, path);
}
