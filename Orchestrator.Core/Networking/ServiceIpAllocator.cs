using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Networking;

/// <summary>
/// Hands out Service cluster IPs from one CIDR, as the apiserver's bitmap allocator does.
/// <para>Invariants:</para>
/// <list type="bullet">
/// <item>The network address is never allocatable, nor (IPv4) the broadcast address.</item>
/// <item>The range splits into a lower band kept for requested addresses (size clamp(n/16, 16, 256), as
/// KEP-3070) and an upper band where dynamic allocation starts; dynamic allocation only falls back to the
/// lower band when the upper one is full. So 10.96.0.1 (<c>kubernetes</c>) and 10.96.0.10 (<c>kube-dns</c>)
/// stay free for their owners until they are requested.</item>
/// <item>All state sits behind one lock; allocation is rare and coarse locking keeps it obviously correct.</item>
/// </list>
/// </summary>
public sealed class ServiceIpAllocator
{
    /// <summary>Upper bound on tracked addresses, so a huge IPv6 prefix does not imply a huge scan.</summary>
    private const long MaxRangeSize = 1 << 20;

    private readonly object _lock = new();
    private readonly HashSet<long> _used = [];
    private readonly Random _random;
    private readonly BigInteger _first;
    private readonly bool _isV6;

    public string Cidr { get; }
    public IPAddress Network { get; }
    public int PrefixLength { get; }

    /// <summary>Number of allocatable addresses (offsets 0..Size-1 map to network+1..).</summary>
    public long Size { get; }

    /// <summary>Size of the lower band reserved for requested addresses.</summary>
    public long StaticBandSize { get; }

    public ServiceIpAllocator(string cidr, Random random)
    {
        if (!IpValidation.TryParseCidr(cidr, out var address, out var prefix))
            throw new ArgumentException($"invalid service CIDR \"{cidr}\"", nameof(cidr));
        _random = random;
        _isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        var bits = _isV6 ? 128 : 32;
        var hostBits = bits - prefix;
        var network = ToInteger(address) >> hostBits << hostBits;
        Network = FromInteger(network, _isV6);
        PrefixLength = prefix;
        Cidr = $"{Network}/{prefix}";

        var total = BigInteger.One << hostBits;
        // Minus the network address, and for IPv4 the broadcast address too.
        var usable = total - (_isV6 ? 1 : 2);
        if (usable < 1) throw new ArgumentException($"service CIDR \"{cidr}\" is too small", nameof(cidr));
        Size = (long)BigInteger.Min(usable, MaxRangeSize);
        _first = network + 1;
        StaticBandSize = Math.Clamp(Size / 16, 16, 256);
        if (StaticBandSize >= Size) StaticBandSize = 0;
    }

    public bool Contains(IPAddress ip) => OffsetOf(ip) is not null;

    public bool IsAllocated(IPAddress ip)
    {
        var offset = OffsetOf(ip);
        lock (_lock) return offset is { } o && _used.Contains(o);
    }

    public long Used
    {
        get { lock (_lock) return _used.Count; }
    }

    /// <summary>Claims a requested address; the error reads as the apiserver's allocator error.</summary>
    public bool TryAllocate(IPAddress ip, [NotNullWhen(false)] out string? error)
    {
        if (OffsetOf(ip) is not { } offset)
        {
            error = $"the provided IP ({ip}) is not in the valid range. The range of valid IPs is {Cidr}";
            return false;
        }
        lock (_lock)
        {
            if (!_used.Add(offset))
            {
                error = "provided IP is already allocated";
                return false;
            }
        }
        error = null;
        return true;
    }

    /// <summary>Picks a free address, upper band first from a random start; null when the range is full.</summary>
    public IPAddress? AllocateNext()
    {
        lock (_lock)
        {
            var offset = Scan(StaticBandSize, Size) ?? Scan(0, StaticBandSize);
            if (offset is not { } o) return null;
            _used.Add(o);
            return FromInteger(_first + o, _isV6);
        }
    }

    public void Release(IPAddress ip)
    {
        if (OffsetOf(ip) is not { } offset) return;
        lock (_lock) _used.Remove(offset);
    }

    /// <summary>Forgets every allocation; used before rebuilding state from storage.</summary>
    public void Clear()
    {
        lock (_lock) _used.Clear();
    }

    private long? Scan(long from, long to)
    {
        var count = to - from;
        if (count <= 0) return null;
        var start = _random.NextInt64(count);
        for (long i = 0; i < count; i++)
        {
            var candidate = from + (start + i) % count;
            if (!_used.Contains(candidate)) return candidate;
        }
        return null;
    }

    private long? OffsetOf(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6 && !_isV6) ip = ip.MapToIPv4();
        if ((ip.AddressFamily == AddressFamily.InterNetworkV6) != _isV6) return null;
        var offset = ToInteger(ip) - _first;
        return offset >= 0 && offset < Size ? (long)offset : null;
    }

    private static BigInteger ToInteger(IPAddress ip) => new(ip.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    private static IPAddress FromInteger(BigInteger value, bool v6)
    {
        var length = v6 ? 16 : 4;
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var bytes = new byte[length];
        Array.Copy(raw, Math.Max(0, raw.Length - length), bytes, Math.Max(0, length - raw.Length), Math.Min(length, raw.Length));
        return new IPAddress(bytes);
    }
}
