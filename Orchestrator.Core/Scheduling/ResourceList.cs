using System.Text.Json.Nodes;

namespace Orchestrator.Core.Scheduling;

/// <summary>
/// Amounts of resources by name, in the units the scheduler compares: millicores for <c>cpu</c>, whole units
/// (bytes, pods, devices) for everything else. Immutable; <see cref="Add"/> returns a new list.
/// </summary>
public sealed class ResourceList
{
    public const string Cpu = "cpu";
    public const string Memory = "memory";
    public const string Pods = "pods";
    public const string EphemeralStorage = "ephemeral-storage";

    public static readonly ResourceList Empty = new(new Dictionary<string, long>(StringComparer.Ordinal));

    private readonly IReadOnlyDictionary<string, long> _amounts;

    public ResourceList(IReadOnlyDictionary<string, long> amounts) => _amounts = amounts;

    public long this[string name] => _amounts.GetValueOrDefault(name);

    public bool Has(string name) => _amounts.ContainsKey(name);

    public IEnumerable<string> Names => _amounts.Keys;

    /// <summary>Reads a resources map (<c>{"cpu": "500m", "memory": "1Gi"}</c>); unparsable entries are skipped.</summary>
    public static ResourceList FromJson(JsonNode? map)
    {
        var amounts = new Dictionary<string, long>(StringComparer.Ordinal);
        if (map is JsonObject o)
            foreach (var (name, value) in o)
                if (Quantity.FromJson(value) is { } q)
                    amounts[name] = name == Cpu ? q.MilliValue : q.Value;
        return new ResourceList(amounts);
    }

    public ResourceList Add(ResourceList other) => Combine(other, (a, b) => a + b);

    public ResourceList Max(ResourceList other) => Combine(other, Math.Max);

    private ResourceList Combine(ResourceList other, Func<long, long, long> f)
    {
        var result = new Dictionary<string, long>(_amounts, StringComparer.Ordinal);
        foreach (var (name, amount) in other._amounts) result[name] = f(result.GetValueOrDefault(name), amount);
        return new ResourceList(result);
    }
}
