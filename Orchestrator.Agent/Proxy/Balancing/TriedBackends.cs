namespace Orchestrator.Agent.Proxy.Balancing;

/// <summary>The endpoints one connection has tried already (at most four dial attempts), without allocating.</summary>
public struct TriedBackends
{
    private Backend? _a, _b, _c, _d;

    public int Count { readonly get; private set; }

    public void Add(Backend backend)
    {
        switch (Count)
        {
            case 0: _a = backend; break;
            case 1: _b = backend; break;
            case 2: _c = backend; break;
            case 3: _d = backend; break;
            default: return;
        }
        Count++;
    }

    public readonly bool Contains(Backend backend) =>
        ReferenceEquals(_a, backend) || ReferenceEquals(_b, backend) || ReferenceEquals(_c, backend) || ReferenceEquals(_d, backend);
}
