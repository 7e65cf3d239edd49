namespace Orchestrator.Agent.Proxy.Udp;

/// <summary>
/// A live UDP listener of the proxy: its forwarder and the route the forwarder's backend chooser reads (written by
/// the apply loop, read by the forwarder's receive loop, hence one volatile reference). The forwarder is made by
/// <c>createForwarder</c> with this listener in hand, so its chooser can read the route.
/// </summary>
internal sealed class UdpServiceListener
{
    private UdpRoute _route;

    public UdpServiceListener(UdpRoute route, Func<UdpServiceListener, UdpServiceForwarder> createForwarder)
    {
        _route = route;
        Forwarder = createForwarder(this);
    }

    public UdpServiceForwarder Forwarder { get; }

    public UdpRoute Route
    {
        get => Volatile.Read(ref _route);
        set => Volatile.Write(ref _route, value);
    }
}
