using System.Net;

namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>
/// The same client IP goes to the same endpoint, by rendezvous hashing (highest hash of client and endpoint wins):
/// independent of the list's order, and when an endpoint leaves only its own clients move.
/// </summary>
public sealed class SourceHashLoadBalancingPolicy : ILoadBalancingPolicy
{
    public Backend? Pick(Backend[] candidates, IPAddress client, in BackendFilter filter)
    {
        Span<byte> clientBytes = stackalloc byte[16];
        client.TryWriteBytes(clientBytes, out var clientLength);
        var clientHash = Fnv(clientBytes[..clientLength], 2166136261);
        Span<byte> endpointBytes = stackalloc byte[18];
        Backend? best = null;
        var bestScore = 0UL;
        foreach (var b in candidates)
        {
            if (!filter.Allows(b)) continue;
            b.EndPoint.Address.TryWriteBytes(endpointBytes, out var length);
            endpointBytes[length] = (byte)(b.EndPoint.Port >> 8);
            endpointBytes[length + 1] = (byte)b.EndPoint.Port;
            var score = Mix(((ulong)clientHash << 32) | Fnv(endpointBytes[..(length + 2)], 2166136261));
            if (best == null || score > bestScore)
            {
                best = b;
                bestScore = score;
            }
        }
        return best;
    }

    private static uint Fnv(ReadOnlySpan<byte> bytes, uint hash)
    {
        foreach (var x in bytes) hash = (hash ^ x) * 16777619;
        return hash;
    }

    // splitmix64 finaliser: spreads the combined hash so each (client, endpoint) pair scores independently.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
        return z ^ (z >> 31);
    }
}
