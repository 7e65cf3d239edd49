using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods.Spec;

namespace Orchestrator.Tests.Agent.Pods.Doubles;

/// <summary>Volumes that only create and remove the pod's folder.</summary>
internal sealed class FakePodVolumes : IPodVolumes
{
    public Task<IReadOnlyDictionary<string, string>> PrepareAsync(JsonObject pod, string volumeDirectory, CancellationToken ct)
    {
        Directory.CreateDirectory(volumeDirectory);
        return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());
    }

    public Task CleanupAsync(string volumeDirectory, CancellationToken ct)
    {
        if (Directory.Exists(volumeDirectory)) Directory.Delete(volumeDirectory, recursive: true);
        return Task.CompletedTask;
    }
}
