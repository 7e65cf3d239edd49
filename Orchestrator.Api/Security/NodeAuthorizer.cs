using System.Text.Json.Nodes;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Security;

/// <summary>
/// What a node credential may change (reads are open to it, as the agent watches pods, services and endpoints):
/// its own Node (and node status), its own Lease in kube-node-lease, the status of pods bound to it, deleting pods
/// bound to it (confirming their termination), Events, and the status of Services (its proxy's port conditions). Anything else is 403, like the upstream node authorizer.
/// </summary>
public sealed class NodeAuthorizer(RequestDelegate next)
{
    public const string NodeItem = "orchestrator.node";

    public async Task InvokeAsync(HttpContext ctx)
    {
        if (ctx.Items[NodeItem] is string node && !HttpMethods.IsGet(ctx.Request.Method) && !HttpMethods.IsHead(ctx.Request.Method))
        {
            var why = await DeniedAsync(ctx, node);
            if (why != null)
            {
                await ResponseWriter.WriteStatusAsync(ctx, ApiException.Forbidden($"node \"{node}\" {why}"));
                return;
            }
        }
        await next(ctx);
    }

    /// <summary>Null when the write is allowed, otherwise the reason.</summary>
    private static async Task<string?> DeniedAsync(HttpContext ctx, string node)
    {
        // The endpoint signs only for the calling node's own name.
        if (ctx.Request.Path == NodeServingCertificateEndpoint.Path) return null;
        var registry = ctx.RequestServices.GetRequiredService<ResourceRegistry>();
        var segments = (ctx.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        ApiPath path;
        try
        {
            path = segments switch
            {
                ["api", var v, .. var rest] => ApiPath.Parse(registry.Catalog, "", v, rest),
                ["apis", var g, var v, .. var rest] => ApiPath.Parse(registry.Catalog, g, v, rest),
                _ => throw ApiException.PathNotFound(),
            };
        }
        catch (ApiException)
        {
            return "may only write to the Kubernetes API";
        }

        var name = path.Name ?? await BodyNameAsync(ctx);
        switch (path.Kind.Kind)
        {
            case "Node":
                return name == node ? null : $"cannot modify node \"{name}\"";
            case "Lease" when path.Kind.Group == "coordination.k8s.io":
                return path.Namespace == "kube-node-lease" && name == node ? null : $"cannot modify lease {path.Namespace}/{name}";
            case "Event":
                return null;
            case "Service" when path.Subresource == "status" && path.Name != null:
                // The node's proxy reports ports it cannot bind as a per-node condition on the service.
                return null;
            case "Pod" when path.Name != null && (path.Subresource == "status" || (path.Subresource == null && HttpMethods.IsDelete(ctx.Request.Method))):
                var pod = registry.TryGetStored(path.Kind, path.Namespace, path.Name)?.Parse();
                if (pod == null) return null; // the registry answers 404
                return pod["spec"].Str("nodeName") == node ? null : $"cannot modify pod {path.Namespace}/{path.Name}: it is not bound to this node";
            default:
                return $"cannot modify {path.Kind.GroupResource}";
        }
    }

    /// <summary>The name inside a create request's body, read without consuming it.</summary>
    private static async Task<string?> BodyNameAsync(HttpContext ctx)
    {
        ctx.Request.EnableBuffering(RequestBody.MaxBytes + 1);
        try
        {
            var node = await RequestBody.ReadNodeAsync(ctx, ctx.RequestAborted);
            return (node as JsonObject)?["metadata"].Str("name");
        }
        catch (ApiException)
        {
            return null;
        }
        finally
        {
            ctx.Request.Body.Position = 0;
        }
    }
}
