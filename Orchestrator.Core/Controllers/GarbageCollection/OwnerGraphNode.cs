using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.GarbageCollection;

/// <summary>
/// One object as the owner graph knows it: where to find it (kind, namespace, name, work-queue key), the uids of its
/// owners, and whether it is waiting for the collector (deleting with a foregroundDeletion finalizer).
/// </summary>
public sealed record OwnerGraphNode(
    ResourceKind Kind,
    string? Namespace,
    string Name,
    string Uid,
    string QueueKey,
    IReadOnlyList<string> OwnerUids,
    bool DeletingDependents,
    bool AwaitsCollector);
