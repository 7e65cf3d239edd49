namespace Orchestrator.Agent.Proxy;

/// <summary>The result of <see cref="ListenerPlanner.Plan"/>: the listeners to have, and the claims that lost a collision.</summary>
public sealed record ListenerPlan(IReadOnlyDictionary<ListenerKey, DesiredListener> Listeners, IReadOnlyList<DesiredListener> Collisions);
