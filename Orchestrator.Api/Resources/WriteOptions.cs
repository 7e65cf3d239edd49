namespace Orchestrator.Api.Resources;

/// <summary>The query parameters that shape a write: dryRun, fieldManager, fieldValidation, force (apply).</summary>
public sealed record WriteOptions(bool DryRun, string? FieldManager, string FieldValidation, bool Force)
{
    public static readonly WriteOptions Default = new(false, null, "Ignore", false);

    public static WriteOptions FromQuery(IQueryCollection q) => new(
        DryRun: q["dryRun"].Any(v => v == "All"),
        FieldManager: string.IsNullOrEmpty(q["fieldManager"]) ? null : q["fieldManager"].ToString(),
        FieldValidation: string.IsNullOrEmpty(q["fieldValidation"]) ? "Ignore" : q["fieldValidation"].ToString(),
        Force: q["force"] == "true");
}
