using System.Net;
using System.Net.Sockets;
using Orchestrator.Agent.Dns;

namespace Orchestrator.Tests.Agent.Dns.Server;

/// <summary>
/// A stand-in for the host's resolver on a loopback address (UDP and TCP, same port). Zone "example.test.":
/// any name → A 192.0.2.1 (TTL 60); "nx.example.test" → NXDOMAIN with an SOA (minimum 30); "big.example.test" →
/// an empty truncated answer over UDP and 100 A records over TCP. <see cref="Silent"/> makes it swallow every query.
/// </summary>
internal sealed class FakeUpstream : IAsyncDisposable
{
    private static readonly DnsName Zone = DnsName.Parse("example.test.");
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private int _udpQueries;
    private int _tcpQueries;

    private FakeUpstream(Socket udp, TcpListener tcp, bool silent)
    {
        _udp = udp;
        _tcp = tcp;
        Silent = silent;
        EndPoint = (IPEndPoint)udp.LocalEndPoint!;
        _udpLoop = Task.Run(() => UdpLoopAsync(_stop.Token));
        _tcpLoop = Task.Run(() => TcpLoopAsync(_stop.Token));
    }

    public IPEndPoint EndPoint { get; }

    public bool Silent { get; }

    public int UdpQueries => Volatile.Read(ref _udpQueries);

    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    public static FakeUpstream Start(bool silent = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var address = RandomLoopback();
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address, 0));
            var tcp = new TcpListener(address, ((IPEndPoint)udp.LocalEndPoint!).Port);
            try
            {
                tcp.Start();
                return new FakeUpstream(udp, tcp, silent);
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
            }
        }
    }

    /// <summary>A random 127.x.y.z (never .0 or .255 in the last octet) so parallel test runs do not meet.</summary>
    public static IPAddress RandomLoopback() =>
        new([127, (byte)Random.Shared.Next(20, 250), (byte)Random.Shared.Next(1, 250), (byte)Random.Shared.Next(2, 250)]);

    private async Task UdpLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[65535];
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _udpQueries);
            if (Silent) continue;
            var response = Answer(buffer.AsSpan(0, received.ReceivedBytes), tcp: false);
            if (response != null) await _udp.SendToAsync(response, SocketFlags.None, received.RemoteEndPoint, ct);
        }
    }

    private async Task TcpLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _tcp.AcceptTcpClientAsync(ct);
            }
            catch (Exception) when (ct.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        var stream = client.GetStream();
                        while (await DnsTcpFraming.ReadFrameAsync(stream, ct) is { } frame)
                        {
                            Interlocked.Increment(ref _tcpQueries);
                            if (Answer(frame, tcp: true) is { } response) await DnsTcpFraming.WriteFrameAsync(stream, response, ct);
                        }
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                    {
                    }
                }
            }, ct);
        }
    }

    private static byte[]? Answer(ReadOnlySpan<byte> bytes, bool tcp)
    {
        if (!DnsMessageReader.TryRead(bytes, out var query, out _, out _) || query!.Questions.Count != 1) return null;
        var q = query.Questions[0];
        var response = DnsMessage.CreateResponse(query);
        response.RecursionAvailable = true;
        if (!q.Name.IsSubdomainOf(Zone))
        {
            response.ResponseCode = DnsResponseCode.Refused;
        }
        else if (q.Name == DnsName.Parse("nx.example.test"))
        {
            response.ResponseCode = DnsResponseCode.NXDomain;
            response.Authorities.Add(new DnsResourceRecord(Zone, 300,
                new SoaRecordData(DnsName.Parse("ns.example.test"), DnsName.Parse("admin.example.test"), 1, 2, 3, 4, 30)));
        }
        else if (q.Name == DnsName.Parse("big.example.test"))
        {
            if (!tcp) response.IsTruncated = true;
            else
                for (var i = 0; i < 100; i++) response.Answers.Add(new DnsResourceRecord(q.Name, 60, new ARecordData(new IPAddress([192, 0, 2, (byte)(i + 1)]))));
        }
        else if (q.Type == DnsType.A)
        {
            response.Answers.Add(new DnsResourceRecord(q.Name, 60, new ARecordData(IPAddress.Parse("192.0.2.1"))));
        }

        return DnsMessageWriter.Write(response, tcp ? 65535 : DnsMessageWriter.MaxUdpResponseSize(query, 4096));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Stop();
        try
        {
            await Task.WhenAll(_udpLoop, _tcpLoop).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or ObjectDisposedException)
        {
        }
    }
}
