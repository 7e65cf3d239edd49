using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.Proxying;

/// <summary>
/// pods/log, pods/exec, pods/attach and pods/portforward, proxied to the agent of the pod's node:
/// <list type="bullet">
/// <item>log: a GET to <c>/containerLogs/…</c>, streamed back as chunked text/plain, each chunk flushed;</item>
/// <item>exec, attach, portforward: the client's WebSocket (<c>v5.channel.k8s.io</c>, or <c>SPDY/3.1+portforward.k8s.io</c>)
/// relayed to a WebSocket to the agent with the same subprotocol (<see cref="WebSocketRelay"/>). The agent is dialled
/// before the client's upgrade is accepted, so every refusal reaches kubectl as a Status.</item>
/// </list>
/// </summary>
public sealed class PodStreamingProxy(AgentStreamTargetResolver resolver, AgentConnector connector, TimeProvider time)
{
    private static readonly string[] LogParameters = ["follow", "tailLines", "sinceSeconds", "sinceTime", "timestamps", "previous", "limitBytes"];
    private static readonly string[] RemoteCommandParameters = ["command", "stdin", "stdout", "stderr", "tty"];
    private static readonly string[] ChannelProtocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];
    private static readonly string[] PortForwardProtocols = ["SPDY/3.1+portforward.k8s.io"];

    public Task HandleAsync(HttpContext ctx, ApiPath path)
    {
        // Node credentials read the API freely, but these GETs run commands in and read from pods on any node:
        // as with the upstream node authorizer, nodes get none of them.
        if (ctx.Items[Orchestrator.Api.Security.NodeAuthorizer.NodeItem] is string node)
            throw ApiException.Forbidden($"node \"{node}\" cannot get pods/{path.Subresource}");
        return Dispatch(ctx, path);
    }

    private Task Dispatch(HttpContext ctx, ApiPath path) => path.Subresource switch
    {
        "log" when HttpMethods.IsGet(ctx.Request.Method) => LogsAsync(ctx, path),
        "exec" or "attach" => RemoteCommandAsync(ctx, path),
        "portforward" => PortForwardAsync(ctx, path),
        _ => throw ApiException.MethodNotAllowed("the server does not allow this method on the requested resource"),
    };

    private async Task LogsAsync(HttpContext ctx, ApiPath path)
    {
        var target = resolver.Resolve(path, ctx.Request.Query["container"], needsContainer: true);
        var agentPath = $"/containerLogs/{E(target.Namespace)}/{E(target.Pod)}/{E(target.Container!)}" + Query(ctx, LogParameters, target);
        using var response = await connector.GetAsync(target, agentPath, ctx.RequestAborted);
        ctx.Response.StatusCode = (int)response.StatusCode;
        ctx.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "text/plain";
        // Without buffering: kubectl logs -f shows each line as it comes.
        ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await ctx.Response.StartAsync(ctx.RequestAborted);
        await using var body = await response.Content.ReadAsStreamAsync(ctx.RequestAborted);
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            while ((n = await body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
            {
                await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
                await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !ctx.RequestAborted.IsCancellationRequested)
        {
            // The agent went away mid-stream: end the response abnormally so the client does not take it as complete.
            ctx.Abort();
        }
    }

    private async Task RemoteCommandAsync(HttpContext ctx, ApiPath path)
    {
        var q = ctx.Request.Query;
        var target = resolver.Resolve(path, q["container"], needsContainer: true);
        if (path.Subresource == "exec" && q["command"].Count == 0)
            throw ApiException.BadRequest("you must specify at least one command for the container");
        if (!(Flag(q["stdin"]) || Flag(q["stdout"]) || Flag(q["stderr"])))
            throw ApiException.BadRequest("you must specify at least 1 of stdin, stdout, stderr");
        var agentPath = $"/{path.Subresource}/{E(target.Namespace)}/{E(target.Pod)}/{E(target.Container!)}" + Query(ctx, RemoteCommandParameters, target);
        await RelayAsync(ctx, target, agentPath, ChannelProtocols);
    }

    private async Task PortForwardAsync(HttpContext ctx, ApiPath path)
    {
        var target = resolver.Resolve(path, null, needsContainer: false);
        await RelayAsync(ctx, target, $"/portForward/{E(target.Namespace)}/{E(target.Pod)}" + Query(ctx, ["ports"], target), PortForwardProtocols);
    }

    private async Task RelayAsync(HttpContext ctx, AgentStreamTarget target, string agentPath, string[] supported)
    {
        if (!WebSocketUpgrade.IsWebSocketRequest(ctx))
            throw ApiException.BadRequest(
                $"Upgrade request required: this server streams {ctx.Request.Path.Value?.Split('/').Last()} over WebSocket ({string.Join(", ", supported)}) only");
        var offered = WebSocketUpgrade.RequestedProtocols(ctx);
        var protocol = supported.FirstOrDefault(p => offered.Contains(p, StringComparer.Ordinal))
            ?? throw ApiException.BadRequest(
                $"none of the requested WebSocket subprotocols [{string.Join(", ", offered)}] is supported; use one of [{string.Join(", ", supported)}]");

        var (agent, refusal) = await connector.ConnectWebSocketAsync(target, agentPath, protocol, ctx.RequestAborted);
        if (refusal != null)
        {
            using (refusal)
            {
                ctx.Response.StatusCode = (int)refusal.StatusCode;
                ctx.Response.ContentType = refusal.Content.Headers.ContentType?.ToString() ?? "application/json";
                await refusal.Content.CopyToAsync(ctx.Response.Body, ctx.RequestAborted);
                return;
            }
        }
        using (agent)
        {
            // By hand: ASP.NET Core refuses to name SPDY/3.1+portforward.k8s.io ('/' is not a token character).
            using var client = await WebSocketUpgrade.AcceptAsync(ctx, protocol, AgentConnector.KeepAliveInterval);
            await WebSocketRelay.RunAsync(client, agent!, time, ctx.RequestAborted);
        }
    }

    /// <summary>The listed query parameters, passed on as they came (repeated ones in order), plus the pod's UID.</summary>
    private static string Query(HttpContext ctx, string[] names, AgentStreamTarget target)
    {
        var sb = new StringBuilder("?podUID=").Append(Uri.EscapeDataString(target.PodUid));
        foreach (var name in names)
            foreach (var value in ctx.Request.Query[name])
                sb.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value ?? ""));
        return sb.ToString();
    }

    private static bool Flag(string? value) => value is "true" or "1" or "True";

    private static string E(string segment) => Uri.EscapeDataString(segment);
}
