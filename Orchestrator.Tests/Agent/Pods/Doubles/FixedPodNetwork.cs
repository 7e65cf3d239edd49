using Orchestrator.Agent.Network;

namespace Orchestrator.Tests.Agent.Pods.Doubles;

/// <summary>Docker's default bridge as the pod network.</summary>
internal sealed class FixedPodNetwork(string name = "bridge") : IPodNetwork
{
    public Task<string> EnsureAsync(CancellationToken ct) => Task.FromResult(name);
}
