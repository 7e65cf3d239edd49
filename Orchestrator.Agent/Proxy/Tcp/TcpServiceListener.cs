using Microsoft.AspNetCore.Connections;

namespace Orchestrator.Agent.Proxy.Tcp;

/// <summary>
/// One bound TCP listener (Kestrel socket transport) and its accept loop. Its <see cref="Route"/> is swapped in
/// place when the service port's endpoints or policies change, so the socket and open connections stay. Retiring
/// stops accepting at once (the port is free again) and disposes the listener — whose memory pool the open
/// connections still use — only after the last of them has ended.
/// </summary>
public sealed class TcpServiceListener
{
    private readonly IConnectionListener _listener;
    private readonly TcpForwarder _forwarder;
    private readonly ILogger _log;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ListenerRoute _route;
    private Task _acceptLoop = Task.CompletedTask;
    private int _open;
    private bool _retired;

    public TcpServiceListener(IConnectionListener listener, ListenerRoute route, TcpForwarder forwarder, ILogger log)
    {
        _listener = listener;
        _route = route;
        _forwarder = forwarder;
        _log = log;
    }

    public ListenerKey Key => Route.Desired.Key;

    public ListenerRoute Route
    {
        get => Volatile.Read(ref _route);
        set => Volatile.Write(ref _route, value);
    }

    public int OpenConnections => Volatile.Read(ref _open);

    public void Start() => _acceptLoop = Task.Run(AcceptLoopAsync);

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            ConnectionContext? connection;
            try
            {
                connection = await _listener.AcceptAsync();
            }
            catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                // Accept errors of one connection (e.g. EMFILE) must not end the listener.
                _log.LogWarning("{Listener}: accept failed: {Error}", Key, e.Message);
                await Task.Delay(50);
                continue;
            }
            if (connection == null) return;
            Interlocked.Increment(ref _open);
            _ = RunAsync(connection);
        }
    }

    private async Task RunAsync(ConnectionContext connection)
    {
        try
        {
            await _forwarder.RunAsync(connection, Route);
        }
        catch (Exception e)
        {
            _log.LogWarning(e, "{Listener}: connection failed", Key);
        }
        finally
        {
            if (Interlocked.Decrement(ref _open) == 0)
                lock (_gate)
                    if (_retired) _drained.TrySetResult();
        }
    }

    /// <summary>Stops accepting now; the returned task ends when every open connection has ended and the listener is disposed.</summary>
    public async Task RetireAsync()
    {
        await _listener.UnbindAsync();
        await _acceptLoop;
        lock (_gate)
        {
            _retired = true;
            if (OpenConnections == 0) _drained.TrySetResult();
        }
        await _drained.Task;
        await _listener.DisposeAsync();
    }
}
