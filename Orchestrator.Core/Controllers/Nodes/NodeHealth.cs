namespace Orchestrator.Core.Controllers.Nodes;

/// <summary>
/// The last heartbeat seen from a node and when this controller saw it change. Ages are measured on the controller's
/// clock from <see cref="ObservedAt"/>, never from the agent's timestamps, so clock skew between machines does not
/// matter (as upstream's probeTimestamp).
/// </summary>
public sealed record NodeHealth(string? LeaseRenewTime, string? ReadyHeartbeatTime, DateTimeOffset ObservedAt);
