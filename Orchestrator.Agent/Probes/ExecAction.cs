using System.Text;
using Orchestrator.Agent.Runtime;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// The exec handler of probes and hooks, through the Docker exec API:
/// <list type="number">
/// <item>create an exec instance (stdout and stderr attached, no stdin, no Tty);</item>
/// <item>start it hijacked and read its output to the end, keeping at most <see cref="MaxOutputBytes"/> per stream
/// (the rest is drained, so a chatty command is never blocked on a full pipe);</item>
/// <item>inspect it for the exit code; the output ending a moment before Docker records the exit is normal, so the
/// inspect is retried a few times (as dockershim did).</item>
/// </list>
/// A timeout stops waiting; Docker has no way to kill an exec'd process, which then runs on (as with the kubelet).
/// </summary>
public sealed class ExecAction(DockerClient docker, TimeProvider time)
{
    public const int MaxOutputBytes = 10 * 1024;
    private const int InspectAttempts = 5;
    private static readonly TimeSpan InspectRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Runs <paramref name="command"/> in the container. Returns an <see cref="ExecOutput"/> with a null exit code when
    /// <paramref name="timeout"/> passed first; Docker errors (container not running, gone) surface as
    /// <see cref="DockerApiException"/>; <see cref="OperationCanceledException"/> only for <paramref name="cancellationToken"/>.
    /// </summary>
    public async Task<ExecOutput> RunAsync(string containerId, IReadOnlyList<string> command, TimeSpan? timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = timeout is { } t ? new CancellationTokenSource(t, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var stdout = new CappedBuffer();
        var stderr = new CappedBuffer();
        try
        {
            var execId = await docker.CreateExecAsync(containerId, new ExecCreateRequest
            {
                Cmd = [.. command],
                AttachStdout = true,
                AttachStderr = true,
            }, linked.Token).ConfigureAwait(false);
            await using (var stream = await docker.StartExecAsync(execId, tty: false, linked.Token).ConfigureAwait(false))
            {
                await foreach (var frame in stream.ReadOutputAsync(linked.Token).ConfigureAwait(false))
                    (frame.Stream == StdStream.Stderr ? stderr : stdout).Append(frame.Data);
            }
            for (var attempt = 1; ; attempt++)
            {
                var inspect = await docker.InspectExecAsync(execId, linked.Token).ConfigureAwait(false);
                if (!inspect.Running && inspect.ExitCode is int code)
                    return new ExecOutput(code, stdout.Text, stderr.Text);
                if (attempt == InspectAttempts)
                    throw new DockerApiException(System.Net.HttpStatusCode.InternalServerError,
                        "the exec session ended but Docker still reports the process running");
                await Task.Delay(InspectRetryDelay, time, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            return new ExecOutput(null, stdout.Text, stderr.Text);
        }
    }

    /// <summary>Keeps the first <see cref="MaxOutputBytes"/> bytes of a stream and counts the rest away.</summary>
    private sealed class CappedBuffer
    {
        private readonly MemoryStream _kept = new();

        public void Append(byte[] data)
        {
            var room = MaxOutputBytes - (int)_kept.Length;
            if (room > 0)
                _kept.Write(data, 0, Math.Min(room, data.Length));
        }

        public string Text => Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
    }
}
