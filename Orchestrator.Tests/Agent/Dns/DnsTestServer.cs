using System.Net;
using System.Net.Sockets;
using Orchestrator.Agent.Dns;

namespace Orchestrator.Tests.Agent.Dns;

/// <summary>
/// A fixed-zone UDP+TCP DNS server on 127.0.0.1 built only from the codec, so real clients (dig) can judge our
/// bytes. Zone "test.": A/AAAA, CNAME, SRV with glue, multi-string TXT, PTR, a 100-record answer that must be
/// truncated over UDP, NXDOMAIN and NODATA with an SOA. Not the responder: no cache, no forwarding.
/// </summary>
internal sealed class DnsTestServer : IAsyncDisposable
{
    public const int BigAnswerCount = 100;

    private static readonly DnsName Zone = DnsName.Parse("test.");
    private static readonly DnsResourceRecord Soa = new(Zone, 5, new SoaRecordData(DnsName.Parse("ns.test."), DnsName.Parse("hostmaster.test."), 1, 7200, 1800, 86400, 5));

    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private readonly Dictionary<DnsName, List<DnsResourceRecord>> _zone = new();
    private int _udpQueries;
    private int _tcpQueries;

    private DnsTestServer(Socket udp, TcpListener tcp)
    {
        _udp = udp;
        _tcp = tcp;
        Port = ((IPEndPoint)tcp.LocalEndpoint).Port;
        Add("a.test.", new ARecordData(IPAddress.Parse("10.96.0.1")));
        Add("a.test.", new AaaaRecordData(IPAddress.Parse("fd00::1")));
        Add("broken.test.", new ARecordData(IPAddress.Parse("10.96.0.2")));
        Add("alias.test.", new CnameRecordData(DnsName.Parse("a.test.")));
        Add("_http._tcp.web.test.", new SrvRecordData(0, 100, 80, DnsName.Parse("web-0.web.test.")));
        Add("_http._tcp.web.test.", new SrvRecordData(10, 50, 8080, DnsName.Parse("web-1.web.test.")));
        Add("web-0.web.test.", new ARecordData(IPAddress.Parse("10.244.0.10")));
        Add("web-1.web.test.", new ARecordData(IPAddress.Parse("10.244.1.11")));
        Add("txt.test.", new TxtRecordData("v=1", "hello world", "quote\"d"));
        Add("1.0.96.10.in-addr.arpa.", new PtrRecordData(DnsName.Parse("a.test.")));
        for (var i = 0; i < BigAnswerCount; i++) Add("big.test.", new ARecordData(new IPAddress([10, 0, (byte)(i / 200), (byte)(i % 200 + 1)])));
        _udpLoop = Task.Run(() => UdpLoopAsync(_stop.Token));
        _tcpLoop = Task.Run(() => TcpLoopAsync(_stop.Token));
    }

    public int Port { get; }

    public int UdpQueries => Volatile.Read(ref _udpQueries);

    public int TcpQueries => Volatile.Read(ref _tcpQueries);

    /// <summary>Binds TCP on an ephemeral port, then UDP on the same number, retrying when that UDP port is taken.</summary>
    public static DnsTestServer Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)tcp.LocalEndpoint).Port));
                return new DnsTestServer(udp, tcp);
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
                tcp.Stop();
            }
        }
    }

    private void Add(string name, DnsRecordData data)
    {
        var key = DnsName.Parse(name);
        if (!_zone.TryGetValue(key, out var list)) _zone[key] = list = [];
        list.Add(new DnsResourceRecord(key, 5, data));
    }

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
                    var stream = client.GetStream();
                    try
                    {
                        while (await DnsTcpFraming.ReadFrameAsync(stream, ct) is { } frame)
                        {
                            Interlocked.Increment(ref _tcpQueries);
                            var response = Answer(frame, tcp: true);
                            if (response == null) return;
                            await DnsTcpFraming.WriteFrameAsync(stream, response, ct);
                        }
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
                    {
                        // The client hung up or the server is stopping: the connection task simply ends.
                    }
                }
            }, ct);
        }
    }

    private byte[]? Answer(ReadOnlySpan<byte> bytes, bool tcp)
    {
        if (!DnsMessageReader.TryRead(bytes, out var query, out var header, out _))
            return header is { IsResponse: false } h ? DnsMessageWriter.Write(DnsMessage.CreateFormatError(h)) : null;
        if (query!.IsResponse) return null;

        var response = DnsMessage.CreateResponse(query, 4096);
        response.IsAuthoritative = true;
        if (query.Questions.Count != 1 || query.Opcode != DnsOpcode.Query)
        {
            response.ResponseCode = query.Opcode == DnsOpcode.Query ? DnsResponseCode.FormErr : DnsResponseCode.NotImp;
            return DnsMessageWriter.Write(response);
        }

        var q = query.Questions[0];
        if (!q.Name.IsSubdomainOf(Zone) && !q.Name.IsSubdomainOf(DnsReverseName.InAddrArpa))
        {
            response.ResponseCode = DnsResponseCode.Refused;
        }
        else if (!_zone.TryGetValue(q.Name, out var records))
        {
            response.ResponseCode = DnsResponseCode.NXDomain;
            response.Authorities.Add(Soa);
        }
        else
        {
            var cname = records.FirstOrDefault(r => r.Type == DnsType.CNAME);
            if (cname != null && q.Type != DnsType.CNAME)
            {
                response.Answers.Add(cname);
                records = _zone.GetValueOrDefault(((CnameRecordData)cname.Data).Target, []);
            }

            response.Answers.AddRange(records.Where(r => r.Type == q.Type || q.Type == DnsType.ANY));
            foreach (var srv in response.Answers.Select(r => r.Data).OfType<SrvRecordData>())
                response.Additionals.AddRange(_zone.GetValueOrDefault(srv.Target, []));
            if (response.Answers.Count == 0) response.Authorities.Add(Soa); // NODATA
        }

        var wire = DnsMessageWriter.Write(response, tcp ? DnsMessageWriter.MaxMessageSize : DnsMessageWriter.MaxUdpResponseSize(query, 4096));
        // Negative control for the tests' malformed-message detection: cut the last record of "a.test" in half.
        return q.Name == BrokenName ? wire[..^3] : wire;
    }

    /// <summary>Answered like a.test but with its last record cut short, so dig must complain.</summary>
    public static readonly DnsName BrokenName = DnsName.Parse("broken.test.");

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        _tcp.Stop();
        await Task.WhenAll(_udpLoop, _tcpLoop).WaitAsync(TimeSpan.FromSeconds(5));
        _stop.Dispose();
    }
}
