using System.Text.Json.Nodes;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Model;
using Orchestrator.Core.Storage;

namespace Orchestrator.Api.Watch;

/// <summary>
/// What a store change looks like to one watcher with selectors: an object that starts matching arrives as ADDED,
/// one that stops matching as DELETED, as the apiserver's watch cache does.
/// </summary>
public static class WatchFilter
{
    /// <summary>The event type this watcher sees, or null when the change is not its concern.</summary>
    public static WatchEventType? Translate(ResourceKind kind, StoreEvent e, ListQuery query)
    {
        if (query.Labels == null && query.Fields == null) return e.Type;
        var now = Matches(kind, e.Object, query);
        if (e.Type == WatchEventType.Added) return now ? WatchEventType.Added : null;
        if (e.Type == WatchEventType.Deleted) return now ? WatchEventType.Deleted : null;
        var before = e.Previous != null && Matches(kind, e.Previous, query);
        return (before, now) switch
        {
            (true, true) => WatchEventType.Modified,
            (false, true) => WatchEventType.Added,
            (true, false) => WatchEventType.Deleted,
            _ => null,
        };
    }

    public static string WireName(WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        _ => "DELETED",
    };

    private static bool Matches(ResourceKind kind, byte[] json, ListQuery query) =>
        ResourceRegistry.Matches(kind, JsonNode.Parse(json)!.AsObject(), query.Labels, query.Fields);
}
