namespace Orchestrator.Core.Scheduling;

/// <summary>A host port a container claims; 0.0.0.0 claims the port on every address of the node.</summary>
public readonly record struct HostPort(string HostIp, string Protocol, int Port)
{
    public const string AnyAddress = "0.0.0.0";

    /// <summary>Two claims collide on the same port and protocol when either takes every address or both take the same.</summary>
    public bool ConflictsWith(HostPort other) =>
        Port == other.Port && Protocol == other.Protocol &&
        (HostIp == AnyAddress || other.HostIp == AnyAddress || HostIp == other.HostIp);
}
