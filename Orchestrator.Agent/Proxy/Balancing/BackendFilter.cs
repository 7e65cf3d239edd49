namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>Which candidates a policy may pick: not tried yet by this connection and, unless ignored, not ejected.</summary>
public readonly ref struct BackendFilter
{
    private readonly ref readonly TriedBackends _tried;
    private readonly long _nowTicks;
    private readonly bool _ignoreEjection;

    public BackendFilter(ref readonly TriedBackends tried, long nowTicks, bool ignoreEjection)
    {
        _tried = ref tried;
        _nowTicks = nowTicks;
        _ignoreEjection = ignoreEjection;
    }

    public bool Allows(Backend b) => !_tried.Contains(b) && (_ignoreEjection || !b.Health.IsEjected(_nowTicks));
}
