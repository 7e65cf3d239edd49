using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>
/// Remembers, per service key, the resourceVersion of every slice this controller last wrote and the slices it
/// deleted. Two uses:
/// <list type="bullet">
/// <item>before planning, <see cref="IsStale"/> tells whether the informer cache already shows all those writes;
///   planning on an older cache would create duplicate slices (generateName) or undo our own updates;</item>
/// <item>slice events that merely echo our own writes need not queue the service again (<see cref="ShouldSync"/>).</item>
/// </list>
/// resourceVersions are compared as numbers when both parse (ours are revision numbers), else for equality.
/// </summary>
public sealed class EndpointSliceTracker
{
    private const string Deleted = "";

    private readonly Dictionary<string, Dictionary<string, string>> _expected = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public void Written(string serviceKey, JsonObject slice)
    {
        lock (_gate) For(serviceKey)[slice.Name() ?? ""] = slice.ResourceVersion() ?? "";
    }

    public void ExpectDeletion(string serviceKey, string sliceName)
    {
        lock (_gate) For(serviceKey)[sliceName] = Deleted;
    }

    public void Forget(string serviceKey)
    {
        lock (_gate) _expected.Remove(serviceKey);
    }

    /// <summary>True when the cached slices of the service lag behind what we wrote or deleted.</summary>
    public bool IsStale(string serviceKey, IReadOnlyList<JsonObject> cachedSlices)
    {
        lock (_gate)
        {
            if (!_expected.TryGetValue(serviceKey, out var expected)) return false;
            var cached = cachedSlices.ToDictionary(s => s.Name() ?? "", s => s.ResourceVersion() ?? "", StringComparer.Ordinal);
            foreach (var (name, rv) in expected)
            {
                var present = cached.TryGetValue(name, out var cachedRv);
                if (rv == Deleted ? present : !present || Older(cachedRv!, rv)) return true;
            }
            return false;
        }
    }

    /// <summary>False for an event showing a slice as we wrote it (or older): nothing new to react to.</summary>
    public bool ShouldSync(string serviceKey, JsonObject slice)
    {
        lock (_gate)
        {
            if (!_expected.TryGetValue(serviceKey, out var expected) || !expected.TryGetValue(slice.Name() ?? "", out var rv)) return true;
            if (rv == Deleted) return false;
            return Older(rv, slice.ResourceVersion() ?? "");
        }
    }

    /// <summary>On a delete event: true when we deleted it ourselves (entry cleared), false when someone else did.</summary>
    public bool HandleDeletion(string serviceKey, JsonObject slice)
    {
        lock (_gate)
        {
            if (!_expected.TryGetValue(serviceKey, out var expected) || !expected.Remove(slice.Name() ?? "", out var rv)) return false;
            return rv == Deleted;
        }
    }

    private Dictionary<string, string> For(string serviceKey)
    {
        if (!_expected.TryGetValue(serviceKey, out var expected))
        {
            expected = new Dictionary<string, string>(StringComparer.Ordinal);
            _expected[serviceKey] = expected;
        }
        return expected;
    }

    private static bool Older(string a, string b) =>
        long.TryParse(a, out var x) && long.TryParse(b, out var y) ? x < y : a != b;
}
