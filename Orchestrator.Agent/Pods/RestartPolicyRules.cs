using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Pods;

/// <summary>
/// The kubelet's restart rules as pure functions over what Docker shows, so every decision of the pod worker can be
/// tested without Docker:
/// <list type="bullet">
/// <item>app containers: Always restarts every exit, OnFailure non-zero exits, Never none;</item>
/// <item>init containers: restart on a non-zero exit unless the pod's policy is Never (a failed init container of a
/// Never pod fails the pod); an init container that exited 0 is done;</item>
/// <item>a running container whose spec hash no longer matches is replaced (kubectl set image on a pod).</item>
/// </list>
/// </summary>
public static class RestartPolicyRules
{
    public const string Always = "Always";
    public const string OnFailure = "OnFailure";
    public const string Never = "Never";

    public static string PolicyOf(JsonObject pod) => pod["spec"].Str("restartPolicy") ?? Always;

    public static bool ShouldRestart(string policy, int exitCode) => policy switch
    {
        Never => false,
        OnFailure => exitCode != 0,
        _ => true,
    };

    public static bool ShouldRestartInit(string policy, int exitCode) => exitCode != 0 && policy != Never;

    /// <param name="latest">The newest Docker container for this spec container, or null.</param>
    /// <param name="desiredHash">The hash of the spec container as it is now.</param>
    public static ContainerAction Decide(ObservedContainer? latest, string desiredHash, string policy, bool init)
    {
        if (latest is null)
            return ContainerAction.Create;
        var changed = latest.SpecHash is not null && latest.SpecHash != desiredHash;
        switch (latest.State)
        {
            case ObservedContainerState.Running:
                return changed && !init ? ContainerAction.Replace : ContainerAction.Keep;
            case ObservedContainerState.Created:
                return changed ? ContainerAction.Replace : ContainerAction.Start;
            default:
                var exit = latest.EffectiveExitCode;
                if (init)
                    return exit == 0 ? ContainerAction.Done
                        : ShouldRestartInit(policy, exit) ? ContainerAction.Restart : ContainerAction.Done;
                return ShouldRestart(policy, exit) ? ContainerAction.Restart : ContainerAction.Done;
        }
    }
}
