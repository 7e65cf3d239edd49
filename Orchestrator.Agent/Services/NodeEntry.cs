using System.Net;
using Orchestrator.Agent.Network;

namespace Orchestrator.Agent.Services;

/// <summary>A Node as the data path needs it: its addresses, its IPv4 pod CIDR (null before IPAM set it), readiness.</summary>
public sealed record NodeEntry(string Name, IPAddress? InternalIp, IPAddress? ExternalIp, Ipv4Cidr? PodCidr, bool Ready);
