namespace Orchestrator.Core.Model;

/// <summary>A subresource of a kind as discovery announces it (e.g. pods/status, deployments/scale).</summary>
public sealed record SubresourceInfo(
    string Name,
    string ResponseGroup,
    string ResponseVersion,
    string ResponseKind,
    IReadOnlyList<string> Verbs);
