namespace Orchestrator.Agent.Network.Programming;

/// <summary>A node whose podCIDR gets no route, and why (logged once while it lasts).</summary>
public sealed record SkippedNode(string Node, string Reason);
