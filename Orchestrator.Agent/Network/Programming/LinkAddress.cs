using System.Net;

namespace Orchestrator.Agent.Network.Programming;

/// <summary>An IPv4 address on an interface as <c>ip -j addr show</c> reports it; the label tells whose it is.</summary>
public sealed record LinkAddress(IPAddress Address, int PrefixLength, string Label);
