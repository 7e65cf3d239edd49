using Orchestrator.Agent.Runtime;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// One Docker container of a pod as the pod worker sees it: the labels that tie it to its pod (name, kind,
/// attempt, spec hash) and the state Docker reports. Immutable; built from <c>docker inspect</c> by
/// <see cref="FromInspect"/>, or by hand in tests.
/// </summary>
public sealed record ObservedContainer(
    string Id,
    string Name,
    string Kind,
    int Attempt,
    string? SpecHash,
    ObservedContainerState State,
    int ExitCode,
    bool OomKilled,
    string? Error,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? ImageId,
    long? GracePeriodSeconds)
{
    public bool IsSandbox => Kind == PodContainerLabels.SandboxKind;

    /// <summary>Docker could not start it (a command that does not exist, a mount that failed): it never ran.</summary>
    public bool StartFailed => State == ObservedContainerState.Exited && !string.IsNullOrEmpty(Error) && StartedAt is null;

    /// <summary>The exit code as the pod status shows it: Docker's, or 128 for a start that failed without one.</summary>
    public int EffectiveExitCode => StartFailed && ExitCode == 0 ? 128 : ExitCode;

    /// <summary>The kubelet's terminated reason: OOMKilled, ContainerCannotRun (Docker refused to start it), Completed or Error.</summary>
    public string TerminationReason => OomKilled ? "OOMKilled"
        : StartFailed ? "ContainerCannotRun"
        : EffectiveExitCode == 0 ? "Completed" : "Error";

    public static ObservedContainer? FromInspect(ContainerInspect inspect)
    {
        var labels = inspect.Config?.Labels;
        if (inspect.Id is null || labels is null || !labels.TryGetValue(PodContainerLabels.ContainerName, out var name))
            return null;
        var state = inspect.State;
        var started = DockerTime(state?.StartedAt);
        var finished = DockerTime(state?.FinishedAt);
        var observed = state switch
        {
            { Running: true } or { Restarting: true } or { Paused: true } => ObservedContainerState.Running,
            // A container Docker failed to start stays "created" with the error (and usually exit code 127/128).
            { Status: "created" } when string.IsNullOrEmpty(state.Error) => ObservedContainerState.Created,
            _ => ObservedContainerState.Exited,
        };
        return new ObservedContainer(
            inspect.Id,
            name,
            labels.GetValueOrDefault(PodContainerLabels.ContainerKind) ?? PodContainerLabels.AppKind,
            int.TryParse(labels.GetValueOrDefault(PodContainerLabels.Attempt), out var attempt) ? attempt : 0,
            labels.GetValueOrDefault(PodContainerLabels.SpecHash),
            observed,
            state?.ExitCode ?? 0,
            state?.OOMKilled ?? false,
            string.IsNullOrEmpty(state?.Error) ? null : state.Error,
            DockerTime(inspect.Created),
            started,
            observed == ObservedContainerState.Exited ? finished ?? started : null,
            inspect.Image,
            long.TryParse(labels.GetValueOrDefault(PodContainerLabels.GracePeriod), out var grace) ? grace : null);
    }

    /// <summary>Docker's RFC 3339 times, with its zero time (<c>0001-01-01T00:00:00Z</c>) meaning "never".</summary>
    internal static DateTimeOffset? DockerTime(string? value) =>
        Orchestrator.Core.Model.KubeTime.Parse(value) is { Year: > 1 } t ? t : null;
}
