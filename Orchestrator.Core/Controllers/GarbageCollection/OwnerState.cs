namespace Orchestrator.Core.Controllers.GarbageCollection;

/// <summary>What one ownerReference of an object points at, as the collector classifies it (upstream's terms).</summary>
public enum OwnerState
{
    /// <summary>The owner exists and is not being deleted in the foreground (or cannot be checked): the object stays.</summary>
    Solid,

    /// <summary>No object with that uid exists where the reference says: the reference is dangling.</summary>
    Dangling,

    /// <summary>The owner is being deleted in the foreground and waits for its dependents to go.</summary>
    WaitingForDependentsDeletion,
}
