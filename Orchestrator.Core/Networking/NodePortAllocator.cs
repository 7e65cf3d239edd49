using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Orchestrator.Core.Networking;

/// <summary>
/// Hands out Service node ports from a range (default 30000-32767).
/// <para>Invariants:</para>
/// <list type="bullet">
/// <item>A port number is allocated once regardless of protocol; a Service that uses one number for TCP and
/// UDP holds a single allocation (the Service admission step dedupes per Service).</item>
/// <item>As KEP-3668, the lowest clamp(n/32, 16, 128) ports form a band kept for requested ports; dynamic
/// allocation takes from the upper band from a random start and only falls back to the lower band when full.</item>
/// </list>
/// </summary>
public sealed class NodePortAllocator
{
    private readonly object _lock = new();
    private readonly HashSet<int> _used = [];
    private readonly Random _random;

    public int Base { get; }
    public int Size { get; }
    public int StaticBandSize { get; }
    public string Range => $"{Base}-{Base + Size - 1}";

    public NodePortAllocator(int first, int last, Random random)
    {
        if (first < 1 || last > 65535 || last < first)
            throw new ArgumentException($"invalid node port range {first}-{last}");
        Base = first;
        Size = last - first + 1;
        _random = random;
        StaticBandSize = Math.Clamp(Size / 32, 16, 128);
        if (StaticBandSize >= Size) StaticBandSize = 0;
    }

    /// <summary>Parses "30000-32767" (the --node-port-range flag's syntax).</summary>
    public static NodePortAllocator FromRange(string range, Random random)
    {
        var parts = range.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length != 2 ||
            !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first) ||
            !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last))
            throw new ArgumentException($"invalid node port range \"{range}\"", nameof(range));
        return new NodePortAllocator(first, last, random);
    }

    public bool Contains(int port) => port >= Base && port < Base + Size;

    public bool IsAllocated(int port)
    {
        lock (_lock) return _used.Contains(port);
    }

    public int Used
    {
        get { lock (_lock) return _used.Count; }
    }

    public bool TryAllocate(int port, [NotNullWhen(false)] out string? error)
    {
        if (!Contains(port))
        {
            error = $"provided port is not in the valid range. The range of valid ports is {Range}";
            return false;
        }
        lock (_lock)
        {
            if (!_used.Add(port))
            {
                error = "provided port is already allocated";
                return false;
            }
        }
        error = null;
        return true;
    }

    /// <summary>A free port, upper band first; null when the range is full.</summary>
    public int? AllocateNext()
    {
        lock (_lock)
        {
            var offset = Scan(StaticBandSize, Size) ?? Scan(0, StaticBandSize);
            if (offset is not { } o) return null;
            _used.Add(Base + o);
            return Base + o;
        }
    }

    public void Release(int port)
    {
        lock (_lock) _used.Remove(port);
    }

    public void Clear()
    {
        lock (_lock) _used.Clear();
    }

    private int? Scan(int from, int to)
    {
        var count = to - from;
        if (count <= 0) return null;
        var start = _random.Next(count);
        for (var i = 0; i < count; i++)
        {
            var candidate = from + (start + i) % count;
            if (!_used.Contains(Base + candidate)) return candidate;
        }
        return null;
    }
}
