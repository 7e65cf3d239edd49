using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Resources;

/// <summary>What a DELETE asks for: propagation policy, grace period and preconditions (body or query).</summary>
public sealed record DeleteOptions(
    string? PropagationPolicy,
    long? GracePeriodSeconds,
    string? PreconditionUid,
    string? PreconditionResourceVersion,
    bool DryRun)
{
    public static readonly DeleteOptions Default = new(null, null, null, null, false);

    public static DeleteOptions From(JsonObject? body, IQueryCollection query)
    {
        var policy = body.Str("propagationPolicy") ?? NullIfEmpty(query["propagationPolicy"]);
        if (policy == null && body.Bool("orphanDependents") is { } orphan) policy = orphan ? "Orphan" : "Background";
        if (policy == null && query["orphanDependents"] == "true") policy = "Orphan";
        var grace = body.Long("gracePeriodSeconds")
            ?? (long.TryParse(query["gracePeriodSeconds"], out var g) ? g : null);
        var pre = body?["preconditions"];
        var dry = body?["dryRun"] is JsonArray a && a.Any(v => v?.GetValue<string>() == "All") || query["dryRun"] == "All";
        return new DeleteOptions(policy, grace, pre.Str("uid"), pre.Str("resourceVersion"), dry);
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
