using System.Collections.Concurrent;
using Orchestrator.Agent.Services;

namespace Orchestrator.Agent.Dns.Server;

/// <summary>
/// What the responder answers from while one <see cref="ClusterServices"/> snapshot is current: the
/// <see cref="ClusterDnsZone"/> built from it and the answers already encoded for it. An answer is encoded once per
/// snapshot for (lower-cased name, type) with a canonical question and no EDNS; a query of that name then costs a
/// copy and a few patched octets (<see cref="ClusterDnsResponder"/>). Replaced whole on every snapshot, so an entry can
/// never outlive the data it came from. The cache is bounded: when full it is emptied and refills with what is asked.
/// </summary>
public sealed class ZoneSnapshot
{
    private readonly ConcurrentDictionary<string, byte[]> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _capacity;
    private int _count;

    public ZoneSnapshot(ClusterDnsZone zone, bool synced, int capacity)
    {
        Zone = zone;
        Synced = synced;
        _capacity = capacity;
        _lookup = _answers.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public ClusterDnsZone Zone { get; }

    /// <summary>False until the service view has listed everything once; the responder answers SERVFAIL until then.</summary>
    public bool Synced { get; }

    public int CachedAnswers => Volatile.Read(ref _count);

    public bool TryGet(ReadOnlySpan<char> key, out byte[] answer) => _lookup.TryGetValue(key, out answer!);

    public void Add(ReadOnlySpan<char> key, byte[] answer)
    {
        if (Interlocked.Increment(ref _count) > _capacity)
        {
            _answers.Clear();
            Volatile.Write(ref _count, 1);
        }

        if (!_lookup.TryAdd(key, answer)) Interlocked.Decrement(ref _count);
    }
}
