namespace Orchestrator.Agent.Probes;

/// <summary>
/// One probe run: its outcome and the text the kubelet would put after <c>Liveness probe failed: </c> (the exec
/// output, <c>HTTP probe failed with statuscode: 500</c>, <c>dial tcp …: connect: connection refused</c>).
/// </summary>
public readonly record struct ProbeResult(ProbeOutcome Outcome, string Output)
{
    public static ProbeResult Success(string output = "") => new(ProbeOutcome.Success, output);
    public static ProbeResult Failure(string output) => new(ProbeOutcome.Failure, output);
    public static ProbeResult Error(string output) => new(ProbeOutcome.Error, output);

    /// <summary>Success and Warning both count as the probe passing.</summary>
    public bool Passed => Outcome is ProbeOutcome.Success or ProbeOutcome.Warning;
}
