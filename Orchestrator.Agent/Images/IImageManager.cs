using System.Text.Json.Nodes;

namespace Orchestrator.Agent.Images;

/// <summary>Images for the pods of this node.</summary>
public interface IImageManager
{
    /// <summary>
    /// Makes the container's image present as its <c>imagePullPolicy</c> says (default: Always for <c>:latest</c>
    /// or no tag, IfNotPresent otherwise), pulling with the pod's <c>imagePullSecrets</c> (dockerconfigjson and
    /// dockercfg Secrets). A failed pull backs off per image (10 s doubling to 5 min) and the outcome names
    /// ErrImagePull / ImagePullBackOff; the pod worker shows it and asks again later. Never throws for pull
    /// failures; pulls of one image are shared between the pods that need it.
    /// </summary>
    Task<ImagePullOutcome> EnsureImageAsync(JsonObject pod, JsonObject container, CancellationToken ct);

    /// <summary>
    /// The name of the pod sandbox image, built locally when missing (there may be no registry): a tiny image whose
    /// process waits for a signal and exits on SIGTERM/SIGINT.
    /// </summary>
    Task<string> EnsureSandboxImageAsync(CancellationToken ct);
}
