namespace Orchestrator.Agent.Proxy.Udp;

/// <summary>
/// What one <see cref="UdpServiceForwarder"/> has done since it started; monotonic, updated with interlocked adds
/// from the receive loop and the flows' reply loops, readable at any time.
/// </summary>
public sealed class UdpForwarderCounters
{
    private long _datagramsFromClients;
    private long _bytesFromClients;
    private long _datagramsToClients;
    private long _bytesToClients;
    private long _flowsCreated;
    private long _flowsExpired;
    private long _flowsPruned;
    private long _flowsRefused;
    private long _droppedNoBackend;
    private long _droppedFlowLimit;
    private long _sendErrors;

    /// <summary>Datagrams received on the listen address.</summary>
    public long DatagramsFromClients => Interlocked.Read(ref _datagramsFromClients);
    public long BytesFromClients => Interlocked.Read(ref _bytesFromClients);

    /// <summary>Backend replies relayed back to clients.</summary>
    public long DatagramsToClients => Interlocked.Read(ref _datagramsToClients);
    public long BytesToClients => Interlocked.Read(ref _bytesToClients);

    public long FlowsCreated => Interlocked.Read(ref _flowsCreated);

    /// <summary>Flows ended by the idle timeout.</summary>
    public long FlowsExpired => Interlocked.Read(ref _flowsExpired);

    /// <summary>Flows ended because their backend left the service (<see cref="UdpServiceForwarder.Prune"/>).</summary>
    public long FlowsPruned => Interlocked.Read(ref _flowsPruned);

    /// <summary>Flows ended by an ICMP error from the backend (port unreachable: nothing listens there).</summary>
    public long FlowsRefused => Interlocked.Read(ref _flowsRefused);

    /// <summary>Datagrams dropped because the service had no backend for the client.</summary>
    public long DroppedNoBackend => Interlocked.Read(ref _droppedNoBackend);

    /// <summary>Datagrams from new clients dropped because <see cref="UdpForwarderOptions.MaxFlows"/> flows exist.</summary>
    public long DroppedFlowLimit => Interlocked.Read(ref _droppedFlowLimit);

    /// <summary>Datagrams that could not be sent either way for another reason than a refusal.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    internal void FromClient(int bytes)
    {
        Interlocked.Increment(ref _datagramsFromClients);
        Interlocked.Add(ref _bytesFromClients, bytes);
    }

    internal void ToClient(int bytes)
    {
        Interlocked.Increment(ref _datagramsToClients);
        Interlocked.Add(ref _bytesToClients, bytes);
    }

    internal void FlowCreated() => Interlocked.Increment(ref _flowsCreated);
    internal void FlowExpired() => Interlocked.Increment(ref _flowsExpired);
    internal void FlowPruned() => Interlocked.Increment(ref _flowsPruned);
    internal void FlowRefused() => Interlocked.Increment(ref _flowsRefused);
    internal void NoBackend() => Interlocked.Increment(ref _droppedNoBackend);
    internal void FlowLimit() => Interlocked.Increment(ref _droppedFlowLimit);
    internal void SendError() => Interlocked.Increment(ref _sendErrors);
}
