using Orchestrator.Api.FieldValidation;

namespace Orchestrator.Api.Resources;

/// <summary>
/// The query parameters that shape a write: dryRun, fieldManager, fieldValidation, force (apply), and where
/// warnings go (the response's Warning headers, for HTTP requests).
/// </summary>
public sealed record WriteOptions(bool DryRun, string? FieldManager, FieldValidationMode FieldValidation, bool Force)
{
    public static readonly WriteOptions Default = new(false, null, FieldValidationMode.Ignore, false);

    /// <summary>Receives each warning (e.g. an unknown field under fieldValidation=Warn).</summary>
    public Action<string>? Warn { get; init; }

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
        var headers = request.HttpContext.Response.Headers;
        return FromQuery(q) with
        {
            FieldManager = string.IsNullOrEmpty(manager) ? null : manager,
            Warn = w => headers.Append("Warning", w),
        };
    }

    public static WriteOptions FromQuery(IQueryCollection q) => new(
        DryRun: q["dryRun"].Any(v => v == "All"),
        FieldManager: string.IsNullOrEmpty(q["fieldManager"]) ? null : q["fieldManager"].ToString(),
        FieldValidation: FieldValidationModes.Parse(q["fieldValidation"].ToString()),
        Force: q["force"] == "true");
}
