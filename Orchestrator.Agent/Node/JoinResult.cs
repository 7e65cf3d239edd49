namespace Orchestrator.Agent.Node;

/// <summary>What joining yields: the cluster CA (PEM) the agent now trusts and its own bearer token.</summary>
public sealed record JoinResult(string CaPem, string Token);
