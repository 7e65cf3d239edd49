using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Controllers.Nodes;

/// <summary>
/// The cluster CIDR cut into equal node subnets (10.244.0.0/16 into 256 /24s), as upstream's cidrset: subnet
/// <c>i</c> starts at <c>cluster + i × 2^(bits − mask)</c>. Subnets are reference-counted so that two nodes
/// registered with the same (or overlapping) CIDR by someone else do not free it for a third when one of them goes.
/// Allocation takes the first free subnet after the last one handed out (wrapping), so a released subnet is not
/// reused at once. Not thread-safe: the controller holds its lock.
/// </summary>
public sealed class PodCidrSet
{
    /// <summary>Upstream's limit: at most 2^16 node subnets in one cluster CIDR.</summary>
    public const int MaxSubnetBits = 16;

    private readonly UInt128 _base;
    private readonly int _bits;
    private readonly int _hostBits;
    private readonly int[] _refs;
    private int _next;

    public PodCidrSet(string clusterCidr, int nodeMaskSize)
    {
        if (!IpValidation.TryParseCidr(clusterCidr, out var address, out var prefix))
            throw new ArgumentException($"invalid cluster CIDR \"{clusterCidr}\"", nameof(clusterCidr));
        IsIpv6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        _bits = IsIpv6 ? 128 : 32;
        if (nodeMaskSize < prefix || nodeMaskSize > _bits)
            throw new ArgumentException($"node CIDR mask /{nodeMaskSize} does not fit cluster CIDR {clusterCidr}", nameof(nodeMaskSize));
        if (nodeMaskSize - prefix > MaxSubnetBits)
            throw new ArgumentException(
                $"node CIDR mask /{nodeMaskSize} cuts {clusterCidr} into more than 2^{MaxSubnetBits} subnets", nameof(nodeMaskSize));
        _hostBits = _bits - nodeMaskSize;
        _base = Mask(ToInteger(address), prefix);
        ClusterPrefixLength = prefix;
        NodeMaskSize = nodeMaskSize;
        ClusterCidr = $"{FromInteger(_base)}/{prefix}";
        _refs = new int[1 << (nodeMaskSize - prefix)];
    }

    public string ClusterCidr { get; }

    public int ClusterPrefixLength { get; }

    public int NodeMaskSize { get; }

    public bool IsIpv6 { get; }

    /// <summary>How many node subnets the cluster CIDR holds.</summary>
    public int Capacity => _refs.Length;

    /// <summary>How many subnets are in use.</summary>
    public int Used => _refs.Count(r => r > 0);

    /// <summary>Subnet <paramref name="index"/> in CIDR notation.</summary>
    public string Format(int index) => $"{FromInteger(_base + ((UInt128)(uint)index << _hostBits))}/{NodeMaskSize}";

    /// <summary>
    /// Marks the subnets <paramref name="cidr"/> overlaps as used and returns them; false (nothing marked) when it
    /// is not a CIDR of our family or lies wholly outside the cluster CIDR.
    /// </summary>
    public bool TryOccupy(string cidr, [NotNullWhen(true)] out int[]? indices)
    {
        indices = null;
        if (!IpValidation.TryParseCidr(cidr, out var address, out var prefix)
            || (address.AddressFamily == AddressFamily.InterNetworkV6) != IsIpv6)
            return false;
        var start = Mask(ToInteger(address), prefix);
        var span = _bits - prefix;
        var end = start + (span == 0 ? UInt128.Zero : span == 128 ? UInt128.MaxValue : (UInt128.One << span) - 1);
        var clusterEnd = _base + ((UInt128)(uint)_refs.Length << _hostBits) - 1;
        if (end < _base || start > clusterEnd)
            return false;
        var first = (int)((UInt128.Max(start, _base) - _base) >> _hostBits);
        var last = (int)((UInt128.Min(end, clusterEnd) - _base) >> _hostBits);
        indices = Enumerable.Range(first, last - first + 1).ToArray();
        foreach (var i in indices)
            _refs[i]++;
        return true;
    }

    /// <summary>Takes the next free subnet; null when every subnet is in use.</summary>
    public int? AllocateNext()
    {
        for (var n = 0; n < _refs.Length; n++)
        {
            var i = (_next + n) % _refs.Length;
            if (_refs[i] != 0)
                continue;
            _refs[i] = 1;
            _next = (i + 1) % _refs.Length;
            return i;
        }
        return null;
    }

    public void Release(IEnumerable<int> indices)
    {
        foreach (var i in indices)
            if (_refs[i] > 0)
                _refs[i]--;
    }

    public bool IsUsed(int index) => _refs[index] > 0;

    private UInt128 Mask(UInt128 value, int prefix) =>
        prefix == 0 ? UInt128.Zero : value & (UInt128.MaxValue << (128 - prefix) >> (128 - _bits));

    private static UInt128 ToInteger(IPAddress address)
    {
        UInt128 value = 0;
        foreach (var b in address.GetAddressBytes())
            value = (value << 8) | b;
        return value;
    }

    private IPAddress FromInteger(UInt128 value)
    {
        var bytes = new byte[_bits / 8];
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xff);
            value >>= 8;
        }
        return new IPAddress(bytes);
    }
}
