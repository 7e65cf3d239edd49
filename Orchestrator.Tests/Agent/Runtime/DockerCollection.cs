namespace Orchestrator.Tests.Agent.Runtime;

/// <summary>The Docker tests share one daemon and image, and run one class at a time (2 cores, one dockerd).</summary>
[CollectionDefinition(Name)]
public sealed class DockerCollection : ICollectionFixture<DockerFixture>
{
    public const string Name = "Docker";
}
