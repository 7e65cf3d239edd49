namespace Orchestrator.Tests.EndToEnd;

/// <summary>
/// The end-to-end tests of pods on real containers share one API server and one agent (its node name, pod network
/// and containers are one set on the shared dockerd), so they run one after another in this collection.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AgentClusterCollection : ICollectionFixture<AgentClusterFixture>
{
    public const string Name = "AgentCluster";
}
