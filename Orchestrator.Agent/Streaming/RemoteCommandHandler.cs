using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Agent.Streaming;

/// <summary>
/// <c>GET /exec/{ns}/{pod}/{container}?command=…&amp;stdin&amp;stdout&amp;stderr&amp;tty</c> and
/// <c>GET /attach/{ns}/{pod}/{container}?stdin&amp;stdout&amp;stderr&amp;tty</c>, WebSocket upgrades with a
/// <c>channel.k8s.io</c> subprotocol. Everything that can fail (no container, not running, Docker refusing the exec)
/// is checked before the upgrade, so it reaches kubectl as an HTTP Status rather than a broken stream.
/// </summary>
public sealed class RemoteCommandHandler(DockerClient docker, PodContainerLocator locator, TimeProvider time, ILogger<RemoteCommandHandler> logger)
{
    private static readonly TimeSpan ExitCodeWait = TimeSpan.FromSeconds(5);
    private const int ResizeAttempts = 10;
    private static readonly TimeSpan ResizeRetryDelay = TimeSpan.FromMilliseconds(50);

    public async Task ExecAsync(HttpContext ctx, string ns, string pod, string container)
    {
        var ct = ctx.RequestAborted;
        var protocol = NegotiateProtocol(ctx);
        var command = ctx.Request.Query["command"].Where(c => c != null).Select(c => c!).ToList();
        if (command.Count == 0) throw new StreamingRequestException(400, "BadRequest", "you must specify at least one command for the container");
        var options = RemoteCommandOptions.FromQuery(ctx.Request.Query);
        var target = await RunningAsync(ns, pod, ctx.Request.Query["podUID"], container, ct);

        var execId = await docker.CreateExecAsync(target.Id!, new ExecCreateRequest
        {
            AttachStdin = options.Stdin,
            AttachStdout = options.Stdout,
            AttachStderr = options.Stderr && !options.Tty,
            Tty = options.Tty,
            Cmd = command,
        }, ct);
        var stream = await docker.StartExecAsync(execId, options.Tty, ct);
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync(protocol);
        var session = new RemoteCommandSession(socket, protocol == StreamingProtocol.V5Channel, stream, options,
            (w, h, c) => ResizeAsync(() => docker.ResizeExecAsync(execId, h, w, c), c),
            c => ExitStatusAsync(execId, command, c), logger);
        await session.RunAsync(ct);
    }

    public async Task AttachAsync(HttpContext ctx, string ns, string pod, string container)
    {
        var ct = ctx.RequestAborted;
        var protocol = NegotiateProtocol(ctx);
        var options = RemoteCommandOptions.FromQuery(ctx.Request.Query);
        var target = await RunningAsync(ns, pod, ctx.Request.Query["podUID"], container, ct);
        var inspect = await docker.InspectContainerAsync(target.Id!, ct);
        var tty = inspect.Config?.Tty ?? false;
        if (options.Stdin && !(inspect.Config?.OpenStdin ?? false))
            throw new StreamingRequestException(400, "BadRequest",
                $"stdin is not enabled for container \"{container}\" in pod \"{pod}\" (spec.containers[].stdin is false)");

        var stream = await docker.AttachContainerAsync(target.Id!, tty, options.Stdin, logs: false, ct);
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync(protocol);
        var session = new RemoteCommandSession(socket, protocol == StreamingProtocol.V5Channel, stream, options with { Tty = tty },
            (w, h, c) => ResizeAsync(() => docker.ResizeContainerTtyAsync(target.Id!, h, w, c), c),
            _ => Task.FromResult(RemoteCommandStatus.Success()), logger);
        await session.RunAsync(ct);
    }

    /// <summary>
    /// A terminal resize. The client sends its size right after connecting, which can be before Docker has the
    /// process running (exec start returns first); Docker then refuses, so retry briefly as the docker CLI does.
    /// </summary>
    private async Task ResizeAsync(Func<Task> resize, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await resize();
                return;
            }
            catch (DockerApiException) when (attempt < ResizeAttempts)
            {
                await Task.Delay(ResizeRetryDelay, time, ct);
            }
        }
    }

    private async Task<ContainerSummary> RunningAsync(string ns, string pod, string? podUid, string container, CancellationToken ct)
    {
        var target = await locator.CurrentAsync(ns, pod, podUid, container, ct);
        if (target.State != "running")
            throw new StreamingRequestException(400, "BadRequest",
                $"container \"{container}\" in pod \"{pod}\" is not running (state: {target.State})");
        return target;
    }

    private static string NegotiateProtocol(HttpContext ctx)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
            throw new StreamingRequestException(400, "BadRequest", "Upgrade request required: this endpoint speaks WebSocket (v5.channel.k8s.io)");
        var offered = ctx.WebSockets.WebSocketRequestedProtocols;
        foreach (var wanted in new[] { StreamingProtocol.V5Channel, StreamingProtocol.V4Channel })
            if (offered.Contains(wanted, StringComparer.Ordinal)) return wanted;
        throw new StreamingRequestException(400, "BadRequest",
            $"none of the offered WebSocket subprotocols [{string.Join(", ", offered)}] is supported; use {StreamingProtocol.V5Channel}");
    }

    /// <summary>The exec's exit code, read once Docker has recorded it (it may lag the end of the output briefly).</summary>
    private async Task<System.Text.Json.Nodes.JsonObject> ExitStatusAsync(string execId, IReadOnlyList<string> command, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + ExitCodeWait;
        while (true)
        {
            var inspect = await docker.InspectExecAsync(execId, ct);
            if (!inspect.Running && inspect.ExitCode is { } code) return RemoteCommandStatus.ForExitCode(code, command);
            if (time.GetUtcNow() > deadline)
                return RemoteCommandStatus.InternalError($"the exit code of command [{string.Join(' ', command)}] is not known: the process is still running");
            await Task.Delay(TimeSpan.FromMilliseconds(20), time, ct);
        }
    }
}
