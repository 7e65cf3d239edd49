namespace Orchestrator.Tests.Lab;

/// <summary>The lab tests share one lab: building it (three dockerds, three agents) takes most of a minute.</summary>
[CollectionDefinition(Name)]
public sealed class LabCollection : ICollectionFixture<LabClusterFixture>
{
    public const string Name = "Lab";
}
