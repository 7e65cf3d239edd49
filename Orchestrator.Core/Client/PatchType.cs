namespace Orchestrator.Core.Client;

public enum PatchType
{
    StrategicMerge,
    Merge,
    Json,
    Apply,
}

public static class PatchTypes
{
    public static string ContentType(this PatchType type) => type switch
    {
        PatchType.StrategicMerge => "application/strategic-merge-patch+json",
        PatchType.Merge => "application/merge-patch+json",
        PatchType.Json => "application/json-patch+json",
        _ => "application/apply-patch+yaml",
    };
}
