namespace Orchestrator.Agent.Services;

/// <summary>
/// The network programming latency SLI (upstream's <c>kubeproxy_network_programming_duration_seconds</c>): from the
/// change that triggered a service's current endpoints (<see cref="ServiceEntry.TriggerTime"/>) to the moment every
/// data-path component of this node (proxy, DNS, addresses) has applied a snapshot holding it. Components register
/// once and report each snapshot they applied; a service's trigger time is measured once, when the last component
/// catches up. The trigger times carry second precision (pod condition times), so single samples may be up to a
/// second high; bench/ measures the same path from the outside with a client clock.
/// </summary>
public sealed class NetworkProgrammingLatency(TimeProvider time)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _applied = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _measured = new(StringComparer.Ordinal);
    private readonly LatencyHistogram _histogram = new();
    private long _measuredVersion;

    public LatencyHistogram Histogram => _histogram;

    /// <summary>Declares a component whose application every measurement waits for.</summary>
    public void Register(string component)
    {
        lock (_gate) _applied.TryAdd(component, 0);
    }

    /// <summary>A component has applied <paramref name="snapshot"/>.</summary>
    public void Applied(string component, ClusterServices snapshot)
    {
        lock (_gate)
        {
            _applied[component] = Math.Max(_applied.GetValueOrDefault(component), snapshot.Version);
            var everyone = _applied.Values.Min();
            if (everyone < snapshot.Version || snapshot.Version <= _measuredVersion) return;
            _measuredVersion = snapshot.Version;
            var now = time.GetUtcNow();
            foreach (var (key, svc) in snapshot.Services)
            {
                if (svc.TriggerTime is not { } trigger) continue;
                if (_measured.TryGetValue(key, out var last) && last >= trigger) continue;
                var first = !_measured.ContainsKey(key);
                _measured[key] = trigger;
                // The first sight of a long-existing service (agent start) is not a programming latency.
                if (first && now - trigger > TimeSpan.FromMinutes(1)) continue;
                _histogram.Observe(Math.Max(0, (now - trigger).TotalSeconds));
            }
            foreach (var gone in _measured.Keys.Where(k => !snapshot.Services.ContainsKey(k)).ToList()) _measured.Remove(gone);
        }
    }
}
