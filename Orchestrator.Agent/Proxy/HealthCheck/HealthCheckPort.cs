using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Orchestrator.Agent.Proxy.HealthCheck;

/// <summary>
/// One service's health-check node port: a listener per node address, all answering from one
/// <see cref="Status"/> that the server swaps when the snapshot changes (listeners stay up across changes).
/// </summary>
internal sealed class HealthCheckPort(int port, HealthCheckStatus status, ILogger logger) : IAsyncDisposable
{
    private readonly Dictionary<IPAddress, HealthCheckListener> _listeners = [];
    private HealthCheckStatus _status = status;

    public int Port { get; } = port;

    public HealthCheckStatus Status
    {
        get => Volatile.Read(ref _status);
        set => Volatile.Write(ref _status, value);
    }

    public IReadOnlyCollection<IPAddress> BoundAddresses => _listeners.Keys;

    /// <summary>
    /// Listens on exactly <paramref name="addresses"/>: closes listeners of addresses that left, opens missing ones.
    /// Returns the addresses that could not be bound with their errors (tried again on the next call).
    /// </summary>
    public async Task<IReadOnlyList<(IPAddress Address, SocketError Error)>> ConvergeAsync(IReadOnlyCollection<IPAddress> addresses)
    {
        foreach (var gone in _listeners.Keys.Where(a => !addresses.Contains(a)).ToList())
        {
            await _listeners[gone].DisposeAsync().ConfigureAwait(false);
            _listeners.Remove(gone);
        }
        var failures = new List<(IPAddress, SocketError)>();
        foreach (var address in addresses)
        {
            if (_listeners.ContainsKey(address)) continue;
            try
            {
                _listeners[address] = new HealthCheckListener(new IPEndPoint(address, Port), () => Status, logger);
            }
            catch (SocketException e)
            {
                failures.Add((address, e.SocketErrorCode));
            }
        }
        return failures;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in _listeners.Values) await listener.DisposeAsync().ConfigureAwait(false);
        _listeners.Clear();
    }
}
