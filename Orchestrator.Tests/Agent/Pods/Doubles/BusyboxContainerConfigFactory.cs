using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods;
using Orchestrator.Agent.Pods.Spec;
using Orchestrator.Agent.Runtime;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Agent.Pods.Doubles;

/// <summary>
/// A minimal container config factory for pod worker tests: command+args, the sandbox's network namespace, the pod
/// labels and a test label for cleanup, so the pod worker tests do not depend on the real factory's translation.
/// </summary>
internal sealed class BusyboxContainerConfigFactory(string node, string testLabelKey, string testLabelValue) : IContainerConfigFactory
{
    public const string SandboxScript = "trap 'exit 0' TERM INT; sleep 2147483647 & wait";

    public ContainerCreateRequest Sandbox(PodContext pod, string podNetwork, string sandboxImage, int attempt) => new()
    {
        Image = sandboxImage,
        Cmd = ["sh", "-c", SandboxScript],
        Hostname = pod.Pod.Name(),
        Labels = Labels(pod.Pod, PodContainerLabels.SandboxContainerName, PodContainerLabels.SandboxKind, attempt),
        HostConfig = new HostConfig { NetworkMode = podNetwork },
    };

    public Task<ContainerCreateRequest> ContainerAsync(PodContext pod, JsonObject container, string kind, int attempt, CancellationToken ct)
    {
        if (container.Str("image") == "missing-config")
            throw new ContainerConfigException("CreateContainerConfigError", "configmap \"nope\" not found");
        var cmd = (container["command"] as JsonArray ?? []).Concat(container["args"] as JsonArray ?? []).Select(n => n!.GetValue<string>()).ToList();
        return Task.FromResult(new ContainerCreateRequest
        {
            Image = container.Str("image"),
            Cmd = cmd.Count > 0 ? cmd : null,
            Labels = Labels(pod.Pod, container.Str("name")!, kind, attempt),
            HostConfig = new HostConfig { NetworkMode = "container:" + pod.SandboxContainerId },
        });
    }

    public string SpecHash(JsonObject container) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(container.ToJsonString())))[..16];

    private Dictionary<string, string> Labels(JsonObject pod, string name, string kind, int attempt)
    {
        var labels = PodContainerLabels.For(node, pod.Namespace()!, pod.Name()!, pod.Uid()!, name, kind, attempt);
        labels[testLabelKey] = testLabelValue;
        return labels;
    }
}
