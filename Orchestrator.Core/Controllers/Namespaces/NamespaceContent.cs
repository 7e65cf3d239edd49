namespace Orchestrator.Core.Controllers.Namespaces;

/// <summary>What one pass over a terminating namespace found: objects left per resource, finalizers on them, failures.</summary>
public sealed class NamespaceContent
{
    public SortedDictionary<string, int> Remaining { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, int> Finalizers { get; } = new(StringComparer.Ordinal);

    public List<string> Failures { get; } = [];
}
