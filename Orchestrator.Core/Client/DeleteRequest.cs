namespace Orchestrator.Core.Client;

/// <summary>DeleteOptions a client sends: propagation policy, grace period and an optional uid precondition.</summary>
public sealed record DeleteRequest(string? PropagationPolicy = null, long? GracePeriodSeconds = null, string? PreconditionUid = null)
{
    public static readonly DeleteRequest Background = new("Background");
}
