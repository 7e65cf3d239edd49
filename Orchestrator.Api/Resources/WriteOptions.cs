namespace Orchestrator.Api.Resources;

/// <summary>The query parameters that shape a write: dryRun, fieldManager, fieldValidation, force (apply).</summary>
public sealed record WriteOptions(bool DryRun, string? FieldManager, string FieldValidation, bool Force)
{
    public static readonly WriteOptions Default = new(false, null, "Ignore", false);

    /// <summary>From the query; without a fieldManager the client's name from its User-Agent is used, as upstream does.</summary>
    public static WriteOptions FromRequest(HttpRequest request)
    {
        var q = request.Query;
        var manager = q["fieldManager"].ToString();
        if (string.IsNullOrEmpty(manager))
        {
            var agent = request.Headers.UserAgent.ToString();
            manager = agent.Split('/', 2)[0].Trim();
        }
        return FromQuery(q) with { FieldManager = string.IsNullOrEmpty(manager) ? null : manager };
    }

    public static WriteOptions FromQuery(IQueryCollection q) => new(
        DryRun: q["dryRun"].Any(v => v == "All"),
        FieldManager: string.IsNullOrEmpty(q["fieldManager"]) ? null : q["fieldManager"].ToString(),
        FieldValidation: string.IsNullOrEmpty(q["fieldValidation"]) ? "Ignore" : q["fieldValidation"].ToString(),
        Force: q["force"] == "true");
}
