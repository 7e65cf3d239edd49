using Orchestrator.Core.Scheduling;

namespace Orchestrator.Simulator;

/// <summary>What the simulated nodes look like and how fast their pods move.</summary>
public sealed record SimulatorOptions
{
    public int NodeCount { get; init; } = 1;

    /// <summary>Node names are the prefix and the node's ordinal: sim-0, sim-1, …</summary>
    public string NamePrefix { get; init; } = "sim-";

    public string Cpu { get; init; } = "4";

    public string Memory { get; init; } = "8Gi";

    public int Pods { get; init; } = 110;

    /// <summary>From binding to Running.</summary>
    public TimeSpan StartupDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>From Running to Ready.</summary>
    public TimeSpan ReadyDelay { get; init; } = TimeSpan.Zero;

    /// <summary>How often each node's Lease in kube-node-lease is renewed.</summary>
    public TimeSpan LeaseInterval { get; init; } = TimeSpan.FromSeconds(5);

    public int LeaseDurationSeconds { get; init; } = 40;

    /// <summary>How often the node status (Ready heartbeat) is re-posted even when nothing changed.</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(60);

    public void Validate()
    {
        if (NodeCount < 1 || NodeCount > 65_000) throw new ArgumentException("--nodes must be between 1 and 65000");
        if (!Quantity.TryParse(Cpu, out _)) throw new ArgumentException($"--cpu: not a quantity: {Cpu}");
        if (!Quantity.TryParse(Memory, out _)) throw new ArgumentException($"--memory: not a quantity: {Memory}");
        if (Pods < 1) throw new ArgumentException("--pods must be at least 1");
    }
}
