namespace Orchestrator.Api.Patching;

/// <summary>How a list field behaves under strategic merge patch and server-side apply.</summary>
public enum ListStrategy
{
    /// <summary>The list is one value: a patch replaces it whole, and apply owns it as a single leaf.</summary>
    Atomic,

    /// <summary>Elements are objects identified by a merge key (Kubernetes <c>patchStrategy:"merge"</c> with <c>patchMergeKey</c>).</summary>
    Map,

    /// <summary>Elements are primitives merged as a set (<c>patchStrategy:"merge"</c> without a key, e.g. <c>finalizers</c>).</summary>
    Set,
}
