using System.Text.Json.Nodes;

namespace Orchestrator.Core.Client;

/// <summary>The items of a list and the resourceVersion to watch from.</summary>
public sealed record ObjectList(IReadOnlyList<JsonObject> Items, string ResourceVersion);
