using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// Runs a handler — exec, httpGet, tcpSocket, grpc for probes; exec, httpGet, sleep for lifecycle hooks — against a
/// container. Probes and hooks share the actions (<see cref="ExecAction"/>, <see cref="HttpGetAction"/>, …) and
/// differ only in how the answer is judged, as in the kubelet:
/// <list type="bullet">
/// <item>a probe has a timeout; HTTP passes on 200-399 (3xx = a redirect it did not follow: a warning), exec on exit
/// code 0, TCP when the connection opens;</item>
/// <item>a hook has no timeout of its own (the caller's token bounds it: the grace period for preStop); HTTP passes on
/// any answer at all, exec on exit code 0.</item>
/// </list>
/// Thread-safe; one per agent.
/// </summary>
public sealed class HandlerRunner : IDisposable
{
    private readonly ExecAction _exec;
    private readonly HttpGetAction _httpGet;
    private readonly TcpSocketAction _tcpSocket;
    private readonly GrpcHealthAction _grpc;

    public HandlerRunner(DockerClient docker, TimeProvider time)
    {
        Time = time;
        _exec = new ExecAction(docker, time);
        _httpGet = new HttpGetAction(time);
        _tcpSocket = new TcpSocketAction(time);
        _grpc = new GrpcHealthAction(time);
    }

    public TimeProvider Time { get; }

    /// <summary>
    /// Runs the probe once within its timeoutSeconds. Never throws except <see cref="OperationCanceledException"/>
    /// for <paramref name="cancellationToken"/>: everything else is a <see cref="ProbeResult"/>.
    /// </summary>
    public async Task<ProbeResult> ProbeAsync(ContainerProbeTarget target, ProbeSettings probe, CancellationToken cancellationToken)
    {
        var spec = probe.Spec;
        try
        {
            if (spec["exec"] is JsonObject exec)
            {
                var command = Command(exec);
                var output = await _exec.RunAsync(target.ContainerId, command, probe.Timeout, cancellationToken).ConfigureAwait(false);
                if (output.TimedOut)
                    return ProbeResult.Failure($"command \"{string.Join(' ', command)}\" timed out");
                return output.ExitCode == 0 ? ProbeResult.Success(output.Combined) : ProbeResult.Failure(output.Combined);
            }
            if (spec["httpGet"] is JsonObject httpGet)
            {
                var request = HttpGetAction.BuildRequest(target, httpGet);
                HttpGetResponse response;
                try
                {
                    response = await _httpGet.GetAsync(request, probe.Timeout, cancellationToken).ConfigureAwait(false);
                }
                catch (HttpGetException e)
                {
                    return ProbeResult.Failure(e.Message);
                }
                return response.StatusCode switch
                {
                    >= 200 and < 300 => ProbeResult.Success(response.Body),
                    >= 300 and < 400 => new ProbeResult(ProbeOutcome.Warning, $"Probe terminated redirects, Response body: {response.Body}"),
                    // Not the body: it may hold anything, and events are readable by many (kubernetes#99425).
                    _ => ProbeResult.Failure($"HTTP probe failed with statuscode: {response.StatusCode}"),
                };
            }
            if (spec["tcpSocket"] is JsonObject tcpSocket)
            {
                var failure = await _tcpSocket.ConnectAsync(target, tcpSocket, probe.Timeout, cancellationToken).ConfigureAwait(false);
                return failure is null ? ProbeResult.Success() : ProbeResult.Failure(failure);
            }
            if (spec["grpc"] is JsonObject grpc)
                return await _grpc.CheckAsync(target, grpc, probe.Timeout, cancellationToken).ConfigureAwait(false);
            return ProbeResult.Error("the probe has no handler (exec, httpGet, tcpSocket or grpc)");
        }
        catch (HandlerSpecException e)
        {
            return ProbeResult.Error(e.Message);
        }
        catch (DockerApiException e)
        {
            return ProbeResult.Error(e.DockerMessage);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Transport trouble talking to Docker and the like: not the container's fault, so not counted.
            return ProbeResult.Error(e.Message);
        }
    }

    /// <summary>
    /// Runs a lifecycle hook handler (<c>lifecycle.postStart</c> or <c>lifecycle.preStop</c>). Null when it
    /// succeeded; otherwise the kubelet's message (<c>Exec lifecycle hook ([sh -c …]) for Container "app" in Pod
    /// "web_default(uid)" failed - error: …</c>). <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> ends it, except for sleep, whose early end is its failure.
    /// </summary>
    public async Task<string?> RunHookAsync(ContainerProbeTarget target, JsonObject handler, CancellationToken cancellationToken)
    {
        var container = target.Container.Str("name");
        var pod = $"{target.Pod.Name()}_{target.Pod.Namespace()}({target.Pod.Uid()})";
        if (handler["exec"] is JsonObject exec)
        {
            IReadOnlyList<string> command = [];
            try
            {
                command = Command(exec);
                var output = await _exec.RunAsync(target.ContainerId, command, null, cancellationToken).ConfigureAwait(false);
                if (output.ExitCode == 0)
                    return null;
                return ExecHookFailure(command, container, pod,
                    $"command '{string.Join(' ', command)}' exited with {output.ExitCode}: {output.Stderr}", output.Combined);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Docker refusing the exec (container gone), Docker unreachable, a bad command: the hook failed.
                return ExecHookFailure(command, container, pod, e is DockerApiException d ? d.DockerMessage : e.Message, "");
            }
        }
        if (handler["httpGet"] is JsonObject httpGet)
        {
            try
            {
                // Any answer will do: the kubelet does not judge a hook's status code.
                await _httpGet.GetAsync(HttpGetAction.BuildRequest(target, httpGet), null, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return $"HTTP lifecycle hook ({httpGet.Str("path")}) for Container \"{container}\" in Pod \"{pod}\" failed - error: {e.Message}";
            }
        }
        if (handler["sleep"] is JsonObject sleep)
        {
            var seconds = sleep.Long("seconds") ?? 0;
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Max(0, seconds)), Time, cancellationToken).ConfigureAwait(false);
                return null;
            }
            catch (OperationCanceledException)
            {
                return $"Sleep lifecycle hook ({seconds}) for Container \"{container}\" in Pod \"{pod}\" failed - error: " +
                       "container terminated before sleep hook finished";
            }
        }
        // tcpSocket is accepted by the API for compatibility but never worked as a hook.
        return $"Cannot run handler: invalid handler: {handler.ToJsonString()}";
    }

    private static string ExecHookFailure(IReadOnlyList<string> command, string? container, string pod, string error, string output) =>
        $"Exec lifecycle hook ([{string.Join(' ', command)}]) for Container \"{container}\" in Pod \"{pod}\" failed - " +
        $"error: {error}, message: {GoQuote(output)}";

    private static IReadOnlyList<string> Command(JsonObject exec)
    {
        var command = exec["command"] is JsonArray array
            ? array.Select(a => a is JsonValue v && v.TryGetValue<string>(out var s) ? s : a?.ToJsonString() ?? "").ToList()
            : [];
        return command.Count > 0 ? command : throw new HandlerSpecException("the exec handler has no command");
    }

    /// <summary>A string as Go's <c>%q</c> writes it (enough of it for command output).</summary>
    private static string GoQuote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                        quoted.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    else
                        quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }

    public void Dispose()
    {
        _httpGet.Dispose();
        _grpc.Dispose();
    }
}
