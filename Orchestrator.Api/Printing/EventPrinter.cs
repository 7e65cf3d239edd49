using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Printing;

/// <summary>
/// Events, core/v1 and events.k8s.io/v1 alike: LAST-SEEN TYPE REASON OBJECT [SUBOBJECT SOURCE] MESSAGE
/// [FIRST-SEEN COUNT NAME]. The two versions name the same data differently (involvedObject/regarding,
/// message/note, firstTimestamp/deprecatedFirstTimestamp, ...); both are read. Times fall back as upstream:
/// first seen to eventTime, last seen to first seen, and a series overrides last seen and count.
/// </summary>
internal sealed class EventPrinter(bool eventsApi) : IResourcePrinter
{
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.Str("Last Seen", "Time since the event was last observed."),
        TableColumn.Str("Type", "Normal or Warning."),
        TableColumn.Str("Reason", "Short machine-readable reason for the event."),
        TableColumn.Str("Object", "Object the event is about, as kind/name."),
        TableColumn.Str("Subobject", "Part of the object the event is about (fieldPath).", 1),
        TableColumn.Str("Source", "Component (and host) that reported the event.", 1),
        TableColumn.Str("Message", "Human-readable description."),
        TableColumn.Str("First Seen", "Time since the event was first observed.", 1),
        TableColumn.Str("Count", "Number of times the event occurred.", 1),
        new("Name", "string", "name", "Name of the event object.", 1),
    ];

    public IReadOnlyList<JsonNode?> Cells(JsonObject ev, PrintContext context)
    {
        string P(string core, string api) => eventsApi ? api : core;

        var firstRaw = ev.Str(P("firstTimestamp", "deprecatedFirstTimestamp"));
        var firstSeen = !string.IsNullOrEmpty(firstRaw) ? context.Since(firstRaw) : context.Since(ev.Str("eventTime"));
        var lastRaw = ev.Str(P("lastTimestamp", "deprecatedLastTimestamp"));
        var lastSeen = !string.IsNullOrEmpty(lastRaw) ? context.Since(lastRaw) : firstSeen;

        var count = ev.Long(P("count", "deprecatedCount")) ?? 0;
        if (ev["series"] is JsonObject series)
        {
            lastSeen = context.Since(series.Str("lastObservedTime"));
            count = PrintFormat.Int(series, "count");
        }
        else if (count == 0)
        {
            // Singleton events of the newer API carry no count.
            count = 1;
        }

        var involved = ev[P("involvedObject", "regarding")];
        var kind = (involved.Str("kind") ?? "").ToLowerInvariant();
        var name = involved.Str("name");
        var target = string.IsNullOrEmpty(name) ? kind : $"{kind}/{name}";

        var source = ev[P("source", "deprecatedSource")];
        var component = First(source.Str("component"), ev.Str("reportingController") ?? ev.Str("reportingComponent"));
        var host = First(source.Str("host"), ev.Str("reportingInstance"));
        var sourceText = host.Length == 0 ? component : $"{component}, {host}";

        return
        [
            lastSeen,
            ev.Str("type") ?? "",
            ev.Str("reason") ?? "",
            target,
            involved.Str("fieldPath") ?? "",
            sourceText,
            (ev.Str(P("message", "note")) ?? "").Trim(),
            firstSeen,
            count,
            ev.Name() ?? "",
        ];
    }

    private static string First(string? a, string? b) => !string.IsNullOrEmpty(a) ? a : b ?? "";
}
