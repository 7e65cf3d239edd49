using System.Text.Json.Nodes;
using Orchestrator.Agent.Images;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Agent.Pods.Doubles;

/// <summary>Images that must already be present (no pulls); the sandbox runs the test busybox image.</summary>
internal sealed class LocalImageManager(DockerClient docker, string sandboxImage) : IImageManager
{
    public async Task<ImagePullOutcome> EnsureImageAsync(JsonObject pod, JsonObject container, CancellationToken ct)
    {
        var image = await docker.TryInspectImageAsync(container.Str("image") ?? "", ct);
        return image?.Id is { } id ? ImagePullOutcome.Present(id)
            : ImagePullOutcome.Waiting("ErrImageNeverPull", $"Container image \"{container.Str("image")}\" is not present with pull policy of Never");
    }

    public Task<string> EnsureSandboxImageAsync(CancellationToken ct) => Task.FromResult(sandboxImage);
}
