using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>The instant a table is rendered at; every relative time in one table is measured from it.</summary>
internal sealed record PrintContext(DateTimeOffset Now)
{
    /// <summary>Elapsed time since an RFC 3339 timestamp; "&lt;unknown&gt;" when it is missing or unreadable, as upstream prints a zero time.</summary>
    public string Since(string? timestamp) =>
        ParseTime(timestamp) is { } t ? HumanDuration.Format(Now - t) : "<unknown>";

    public string Age(JsonObject obj) => Since(obj["metadata"].Str("creationTimestamp"));

    public static DateTimeOffset? ParseTime(string? timestamp) =>
        !string.IsNullOrEmpty(timestamp) &&
        DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;
}
