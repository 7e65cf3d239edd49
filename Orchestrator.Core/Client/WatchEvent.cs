using System.Text.Json.Nodes;

namespace Orchestrator.Core.Client;

public enum WatchEventKind
{
    Added,
    Modified,
    Deleted,
    Bookmark,
}

/// <summary>One event of a watch stream, as a client sees it (selectors already applied by the server).</summary>
public sealed record WatchEvent(WatchEventKind Kind, JsonObject Object);
