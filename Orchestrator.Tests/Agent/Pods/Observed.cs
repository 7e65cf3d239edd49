using Orchestrator.Agent.Pods;

namespace Orchestrator.Tests.Agent.Pods;

/// <summary>Hand-made Docker observations for the pure pod-sync rules.</summary>
internal static class Observed
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 5, 0, 0, TimeSpan.Zero);

    public static ObservedContainer Running(string name, int attempt = 0, string hash = "h1", string kind = "app", DateTimeOffset? started = null) =>
        new($"{name}-{attempt}", name, kind, attempt, hash, ObservedContainerState.Running, 0, false, null,
            started ?? T0, started ?? T0, null, "sha256:img", 30);

    public static ObservedContainer Exited(string name, int exitCode, int attempt = 0, string hash = "h1", string kind = "app",
        DateTimeOffset? finished = null, bool oom = false) =>
        new($"{name}-{attempt}", name, kind, attempt, hash, ObservedContainerState.Exited, exitCode, oom, null,
            T0, T0, finished ?? T0.AddSeconds(1), "sha256:img", 30);

    public static ObservedContainer StartFailed(string name, string error, int attempt = 0, int exitCode = 127) =>
        new($"{name}-{attempt}", name, "app", attempt, "h1", ObservedContainerState.Exited, exitCode, false, error,
            T0, null, null, "sha256:img", 30);

    public static ObservedContainer Created(string name, int attempt = 0, string hash = "h1") =>
        new($"{name}-{attempt}", name, "app", attempt, hash, ObservedContainerState.Created, 0, false, null,
            T0, null, null, "sha256:img", 30);

    public static ObservedContainer Sandbox(int attempt = 0, bool running = true) =>
        new($"sandbox-{attempt}", "POD", "sandbox", attempt, null,
            running ? ObservedContainerState.Running : ObservedContainerState.Exited, 0, false, null, T0, T0, running ? null : T0, "sha256:pause", 30);

    public static ObservedPod Pod(params ObservedContainer[] containers) => new("uid-1", containers);
}
