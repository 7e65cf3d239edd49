using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Orchestrator.Agent.Proxy.Udp;

/// <summary>
/// Forwards one UDP service endpoint (a clusterIP, node or external address with its port) to backends, with one
/// flow per client address:
/// <code>
///  client ──▶ listen socket ──(receive loop)──▶ flow[client].socket (connected to the backend) ──▶ backend
///  client ◀── listen socket ◀──(flow's reply loop)── flow[client].socket ◀────────────────────── backend
/// </code>
/// 1. A datagram from a client without a flow asks the caller's <c>chooseBackend</c> for a backend (null: dropped);
///    the flow's socket is connected to it, so all of that client's datagrams go to one backend and only that
///    backend's replies come back, relayed to the client from the listen address (the address it sent to).
/// 2. A flow ends after <see cref="UdpForwarderOptions.IdleTimeout"/> without traffic either way, when
///    <see cref="Prune"/> says its backend left the service, or when the backend answers with an ICMP error
///    (port unreachable surfaces as ConnectionRefused on the connected socket); the client's next datagram starts a
///    new flow with a new choice. Changing the chooser's table never moves existing flows by itself.
/// 3. At most <see cref="UdpForwarderOptions.MaxFlows"/> flows exist; new clients beyond that are dropped.
/// The listen socket is bound with IP_FREEBIND, so a cluster IP can be bound before (or without) the address being
/// configured on the host. Replies are read with a zero-byte peek first and a pooled 64 KiB buffer only while a
/// datagram is in hand, so an idle flow holds a socket but no buffer.
/// </summary>
public sealed class UdpServiceForwarder : IAsyncDisposable
{
    /// <summary>Larger than any UDP payload (65,507 bytes over IPv4, 65,527 over IPv6 without jumbograms).</summary>
    private const int MaxDatagramSize = 65536;

    // Linux socket options not in System.Net.Sockets' enums.
    private const int SolIp = 0;
    private const int IpFreebind = 15;
    private const int SolIpv6 = 41;
    private const int Ipv6Freebind = 78;

    private readonly IPEndPoint _requested;
    private readonly Func<IPEndPoint, IPEndPoint?> _chooseBackend;
    private readonly Action<IPEndPoint, IPEndPoint>? _backendRefused;
    private readonly UdpForwarderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPEndPoint, UdpFlow> _flows = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _listen;
    private Task _receiveLoop = Task.CompletedTask;
    private ITimer? _expiryTimer;
    private int _disposed;

    /// <param name="listenEndPoint">The address and port to serve (port 0 picks one, for tests).</param>
    /// <param name="chooseBackend">
    /// Called on the receive loop for each new client: the backend for it, or null to drop the datagram (no ready
    /// endpoint). It should be cheap and must not block: it reads the caller's current backend table.
    /// </param>
    /// <param name="backendRefused">
    /// Called with (client, backend) when a flow ends because the backend refused it (ICMP port unreachable), so the
    /// caller's balancer can count the failure towards ejecting the endpoint.
    /// </param>
    public UdpServiceForwarder(
        IPEndPoint listenEndPoint,
        Func<IPEndPoint, IPEndPoint?> chooseBackend,
        UdpForwarderOptions? options = null,
        TimeProvider? time = null,
        ILogger<UdpServiceForwarder>? logger = null,
        Action<IPEndPoint, IPEndPoint>? backendRefused = null)
    {
        _requested = listenEndPoint;
        _chooseBackend = chooseBackend;
        _backendRefused = backendRefused;
        _options = options ?? new UdpForwarderOptions();
        if (_options.IdleTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "IdleTimeout must be positive.");
        if (_options.MaxFlows <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxFlows must be positive.");
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The bound address (with the port the kernel chose when 0 was asked for); valid after <see cref="StartAsync"/>.</summary>
    public IPEndPoint ListenEndPoint => (IPEndPoint?)_listen?.LocalEndPoint ?? _requested;

    public UdpForwarderCounters Counters { get; } = new();

    public int FlowCount => _flows.Count;

    /// <summary>
    /// Binds the listen socket and starts forwarding. Throws the bind's <see cref="SocketException"/> (address in
    /// use, …) so the caller can report the port and retry later.
    /// </summary>
    public Task StartAsync(CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_listen is not null) throw new InvalidOperationException("The forwarder is already started.");

        var socket = new Socket(_requested.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            SetFreebind(socket);
            socket.Bind(_requested);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _listen = socket;
        // Sweep often enough that a flow outlives its timeout by at most a fraction of it (and at most 5 s).
        var period = TimeSpan.FromTicks(Math.Clamp(_options.IdleTimeout.Ticks / 4, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(5).Ticks));
        _expiryTimer = _time.CreateTimer(_ => ExpireIdleFlows(), null, period, period);
        _receiveLoop = Task.Run(() => ReceiveFromClientsAsync(socket, _stopping.Token), CancellationToken.None);
        _logger.LogDebug("UDP forwarder listening on {Endpoint}", socket.LocalEndPoint);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Ends every flow whose backend <paramref name="stillValid"/> rejects (call it after the backend table changed);
    /// those clients get a new backend with their next datagram. Returns how many flows ended.
    /// </summary>
    public int Prune(Func<IPEndPoint, bool> stillValid)
    {
        var ended = 0;
        foreach (var (_, flow) in _flows)
        {
            if (stillValid(flow.Backend) || !EndFlow(flow)) continue;
            Counters.FlowPruned();
            ended++;
        }
        return ended;
    }

    /// <summary>Ends flows idle for at least the idle timeout; the expiry timer calls it. Returns how many ended.</summary>
    public int ExpireIdleFlows()
    {
        var now = _time.GetUtcNow().UtcTicks;
        var ended = 0;
        foreach (var (_, flow) in _flows)
        {
            if (now - flow.LastActivityTicks < _options.IdleTimeout.Ticks || !EndFlow(flow)) continue;
            Counters.FlowExpired();
            ended++;
        }
        return ended;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping.Cancel();
        _expiryTimer?.Dispose();
        _listen?.Dispose();
        var replyLoops = new List<Task>();
        foreach (var (_, flow) in _flows)
        {
            replyLoops.Add(flow.RelayReplies);
            EndFlow(flow);
        }
        try
        {
            await _receiveLoop.ConfigureAwait(false);
            await Task.WhenAll(replyLoops).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Loops end through their sockets closing; what they threw on the way out is expected.
        }
        _stopping.Dispose();
    }

    private static void SetFreebind(Socket socket)
    {
        if (!OperatingSystem.IsLinux()) return;
        ReadOnlySpan<byte> on = [1, 0, 0, 0];
        if (socket.AddressFamily == AddressFamily.InterNetwork) socket.SetRawSocketOption(SolIp, IpFreebind, on);
        else socket.SetRawSocketOption(SolIpv6, Ipv6Freebind, on);
    }

    private async Task ReceiveFromClientsAsync(Socket listen, CancellationToken ct)
    {
        // One buffer for the loop: each datagram is sent on (awaited) before the next is read.
        var buffer = GC.AllocateUninitializedArray<byte>(MaxDatagramSize);
        EndPoint any = listen.AddressFamily == AddressFamily.InterNetwork
            ? new IPEndPoint(IPAddress.Any, 0)
            : new IPEndPoint(IPAddress.IPv6Any, 0);
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await listen.ReceiveFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException
                                      || (e is SocketException && ct.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException e)
            {
                // Unconnected sockets on Linux do not surface ICMP errors, but other platforms do (an earlier reply to
                // a client that has gone): not a reason to stop serving everyone else.
                _logger.LogDebug("UDP forwarder {Endpoint}: receive error {Error}", _requested, e.SocketErrorCode);
                continue;
            }

            var client = (IPEndPoint)received.RemoteEndPoint;
            var length = received.ReceivedBytes;
            Counters.FromClient(length);
            var now = _time.GetUtcNow().UtcTicks;
            if (!_flows.TryGetValue(client, out var flow) && (flow = StartFlow(client, now)) is null) continue;
            flow.Touch(now);
            try
            {
                await flow.Socket.SendAsync(buffer.AsMemory(0, length), SocketFlags.None, ct).ConfigureAwait(false);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // The backend's earlier ICMP port unreachable, reported on this send.
                Refused(flow);
            }
            catch (SocketException e)
            {
                Counters.SendError();
                _logger.LogDebug("UDP forwarder {Endpoint}: send to {Backend} failed: {Error}", _requested, flow.Backend, e.SocketErrorCode);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                // The flow ended (expiry, prune) while the datagram was in hand, or the forwarder is stopping.
                if (ct.IsCancellationRequested) return;
            }
        }
    }

    private UdpFlow? StartFlow(IPEndPoint client, long now)
    {
        if (_flows.Count >= _options.MaxFlows)
        {
            Counters.FlowLimit();
            return null;
        }
        IPEndPoint? backend;
        try
        {
            backend = _chooseBackend(client);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "UDP forwarder {Endpoint}: choosing a backend for {Client} failed", _requested, client);
            backend = null;
        }
        if (backend is null)
        {
            Counters.NoBackend();
            return null;
        }

        var socket = new Socket(backend.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(backend); // UDP: only sets the peer (and the source address); nothing is sent.
        }
        catch (SocketException e)
        {
            socket.Dispose();
            Counters.SendError();
            _logger.LogDebug("UDP forwarder {Endpoint}: cannot connect to {Backend}: {Error}", _requested, backend, e.SocketErrorCode);
            return null;
        }
        var flow = new UdpFlow(client, backend, socket, now);
        _flows[client] = flow; // only this loop adds, so no other flow for the client can exist here
        Counters.FlowCreated();
        flow.RelayReplies = RelayRepliesAsync(flow, _stopping.Token);
        return flow;
    }

    private async Task RelayRepliesAsync(UdpFlow flow, CancellationToken ct)
    {
        await Task.Yield(); // never run the loop on the receive loop's stack
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // Wait for a datagram without holding a buffer: a zero-byte peek completes when one is queued (or
                // with the socket's pending ICMP error) and leaves it in the queue.
                await flow.Socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.Peek, ct).ConfigureAwait(false);
                var buffer = ArrayPool<byte>.Shared.Rent(MaxDatagramSize);
                try
                {
                    var n = await flow.Socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                    flow.Touch(_time.GetUtcNow().UtcTicks);
                    var listen = _listen!;
                    try
                    {
                        await listen.SendToAsync(buffer.AsMemory(0, n), SocketFlags.None, flow.Client, ct).ConfigureAwait(false);
                        Counters.ToClient(n);
                    }
                    catch (SocketException e) when (e.SocketErrorCode is not SocketError.OperationAborted)
                    {
                        Counters.SendError();
                        _logger.LogDebug("UDP forwarder {Endpoint}: reply to {Client} failed: {Error}", _requested, flow.Client, e.SocketErrorCode);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            Refused(flow);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The flow was ended (its socket closed) or the forwarder is stopping.
        }
        finally
        {
            EndFlow(flow);
        }
    }

    private void Refused(UdpFlow flow)
    {
        if (!EndFlow(flow)) return;
        Counters.FlowRefused();
        _logger.LogDebug("UDP forwarder {Endpoint}: backend {Backend} refused {Client}'s flow", _requested, flow.Backend, flow.Client);
        try
        {
            _backendRefused?.Invoke(flow.Client, flow.Backend);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "UDP forwarder {Endpoint}: the refusal callback failed", _requested);
        }
    }

    /// <summary>Removes <paramref name="flow"/> if it is still the client's flow and closes its socket; true if this call ended it.</summary>
    private bool EndFlow(UdpFlow flow)
    {
        if (!_flows.TryRemove(new KeyValuePair<IPEndPoint, UdpFlow>(flow.Client, flow))) return false;
        flow.Socket.Dispose();
        return true;
    }
}
