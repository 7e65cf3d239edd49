using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Orchestrator.Agent.Dns;
using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Dns.Server;

/// <summary>
/// The responder on real sockets, judged by BIND's dig: every record kind of the DNS spec, negative answers with SOA,
/// TCP, EDNS sizes, truncation with dig's TCP retry, forwarding, SERVFAIL before sync and re-binding.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ClusterDnsServerDigTests : IAsyncLifetime
{
    private RunningDnsServer _dns = null!;

    public async Task InitializeAsync() => _dns = await RunningDnsServer.StartAsync(DnsTestCluster.Standard());

    public async Task DisposeAsync() => await _dns.DisposeAsync();

    public static TheoryData<string, string[], string[]> Answers()
    {
        var data = new TheoryData<string, string[], string[]>();
        foreach (var variant in new[] { "+edns", "+noedns", "+tcp", "+bufsize=4096" })
        {
            data.Add(variant, ["web.default.svc.cluster.local", "A"], ["web.default.svc.cluster.local. A 10.96.1.2"]);
            data.Add(variant, ["WEB.default.SVC.cluster.local", "A"], ["WEB.default.SVC.cluster.local. A 10.96.1.2"]);
            data.Add(variant, ["_http._tcp.web.default.svc.cluster.local", "SRV"], ["_http._tcp.web.default.svc.cluster.local. SRV 0 100 80 web.default.svc.cluster.local."]);
            data.Add(variant, ["_pg._tcp.db.default.svc.cluster.local", "SRV"],
            [
                "_pg._tcp.db.default.svc.cluster.local. SRV 0 33 5432 db-0.db.default.svc.cluster.local.",
                "_pg._tcp.db.default.svc.cluster.local. SRV 0 33 5432 db-1.db.default.svc.cluster.local.",
                "_pg._tcp.db.default.svc.cluster.local. SRV 0 33 5432 10-244-2-7.db.default.svc.cluster.local.",
            ]);
            data.Add(variant, ["db-1.db.default.svc.cluster.local", "A"], ["db-1.db.default.svc.cluster.local. A 10.244.1.6"]);
            data.Add(variant, ["-x", "10.96.1.2"], ["2.1.96.10.in-addr.arpa. PTR web.default.svc.cluster.local."]);
            data.Add(variant, ["-x", "10.244.1.5"], ["5.1.244.10.in-addr.arpa. PTR db-0.db.default.svc.cluster.local."]);
            data.Add(variant, ["ext.default.svc.cluster.local", "A"], ["ext.default.svc.cluster.local. CNAME Example.COM."]);
            data.Add(variant, ["alias.default.svc.cluster.local", "A"], ["alias.default.svc.cluster.local. CNAME web.default.svc.cluster.local.", "web.default.svc.cluster.local. A 10.96.1.2"]);
            data.Add(variant, ["10-244-7-9.default.pod.cluster.local", "A"], ["10-244-7-9.default.pod.cluster.local. A 10.244.7.9"]);
            data.Add(variant, ["dns-version.cluster.local", "TXT"], ["dns-version.cluster.local. TXT \"1.1.0\""]);
            data.Add(variant, ["dual.default.svc.cluster.local", "AAAA"], ["dual.default.svc.cluster.local. AAAA fd00::4"]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Dig_ClusterRecords(string variant, string[] query, string[] expected)
    {
        var result = await DigAt.RunAsync(_dns.EndPoint, [variant, .. query]);

        Assert.False(result.Malformed, result.Output);
        Assert.Equal("NOERROR", result.Status);
        Assert.Contains("aa", result.Flags);
        Assert.Contains("ra", result.Flags);
        Assert.DoesNotContain("tc", result.Flags);
        Assert.Equal(expected, result.AnswerLines);
        Assert.All(result.Answers, a => Assert.Equal(5, a.Ttl));
        Assert.Equal(variant != "+noedns", result.Output.Contains("OPT PSEUDOSECTION", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dig_HeadlessSrv_AdditionalSectionHasTheTargets()
    {
        var result = await DigAt.RunAsync(_dns.EndPoint, "_pg._tcp.db.default.svc.cluster.local", "SRV");
        Assert.Equal(["db-0.db.default.svc.cluster.local. A 10.244.1.5", "db-1.db.default.svc.cluster.local. A 10.244.1.6", "10-244-2-7.db.default.svc.cluster.local. A 10.244.2.7"],
            result.Additional.Select(a => $"{a.Name} {a.Type} {a.Data}"));
    }

    [Theory]
    [InlineData("nope.default.svc.cluster.local", "A", "NXDOMAIN")]
    [InlineData("empty.default.svc.cluster.local", "A", "NXDOMAIN")]
    [InlineData("web.nowhere.svc.cluster.local", "A", "NXDOMAIN")]
    [InlineData("web.default.svc.cluster.local", "AAAA", "NOERROR")]
    [InlineData("default.svc.cluster.local", "A", "NOERROR")]
    [InlineData("3.3.96.10.in-addr.arpa", "PTR", "NXDOMAIN")]
    public async Task Dig_NegativeAnswers_CarryTheSoa(string name, string type, string status)
    {
        var result = await DigAt.RunAsync(_dns.EndPoint, name, type);

        Assert.Equal(status, result.Status);
        Assert.Empty(result.Answers);
        Assert.Contains("aa", result.Flags);
        var soa = Assert.Single(result.Authority);
        Assert.Equal("SOA", soa.Type);
        Assert.Equal(5, soa.Ttl);
        Assert.EndsWith(" 7200 1800 86400 5", soa.Data);
    }

    [Fact]
    public async Task Dig_BigHeadlessOverUdp_Truncated_DigRetriesOverTcpAndGetsAll()
    {
        var result = await DigAt.RunAsync(_dns.EndPoint, "+bufsize=512", "big.default.svc.cluster.local", "A");

        Assert.True(result.RetriedOverTcp, result.Output);
        Assert.Equal("NOERROR", result.Status);
        Assert.DoesNotContain("tc", result.Flags);
        Assert.Equal(DnsTestCluster.BigEndpointCount, result.Answers.Count);
        Assert.False(result.Malformed, result.Output);
    }

    [Fact]
    public async Task Dig_BigHeadless_IgnoreTc_ShowsTheTruncatedUdpAnswer()
    {
        var result = await DigAt.RunAsync(_dns.EndPoint, "+ignore", "+noedns", "big.default.svc.cluster.local", "A");

        Assert.Contains("tc", result.Flags);
        Assert.InRange(result.Answers.Count, 1, 512 / 16);
    }

    [Fact]
    public async Task Dig_NameOutsideTheZone_ForwardedUpstreamAndCached()
    {
        var first = await DigAt.RunAsync(_dns.EndPoint, "www.example.test", "A");
        var second = await DigAt.RunAsync(_dns.EndPoint, "www.example.test", "A");

        Assert.Equal("NOERROR", first.Status);
        Assert.DoesNotContain("aa", first.Flags);
        Assert.Equal(["www.example.test. A 192.0.2.1"], first.AnswerLines);
        Assert.Equal(["www.example.test. A 192.0.2.1"], second.AnswerLines);
        Assert.Equal(1, _dns.Upstream.UdpQueries);
    }

    [Fact]
    public async Task Dig_ForwardedOverTcp_BigUpstreamAnswer()
    {
        var result = await DigAt.RunAsync(_dns.EndPoint, "+tcp", "big.example.test", "A");
        Assert.Equal(100, result.Answers.Count);
        Assert.Equal(1, _dns.Upstream.TcpQueries);
    }

    [Fact]
    public async Task Tcp_SeveralQueriesOnOneConnection_AnsweredInOrder()
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_dns.EndPoint);
        var stream = client.GetStream();
        var names = new[] { "web.default.svc.cluster.local", "nope.default.svc.cluster.local", "web.other.svc.cluster.local" };
        var frames = names.Select((n, i) => DnsTcpFraming.Frame(DnsMessageWriter.Write(new DnsMessage
        {
            Id = (ushort)(100 + i), Questions = [new DnsQuestion(DnsName.Parse(n), DnsType.A)],
        }))).SelectMany(f => f).ToArray();
        await stream.WriteAsync(frames); // all three in one segment: pipelined

        var responses = new List<DnsMessage>();
        for (var i = 0; i < names.Length; i++) responses.Add(DnsMessageReader.Read((await DnsTcpFraming.ReadFrameAsync(stream, CancellationToken.None))!));

        Assert.Equal([100, 101, 102], responses.Select(r => (int)r.Id));
        Assert.Equal([DnsResponseCode.NoError, DnsResponseCode.NXDomain, DnsResponseCode.NoError], responses.Select(r => r.ResponseCode));
    }

    [Fact]
    public async Task Udp_GarbageAndMutatedQueries_ServerKeepsAnswering()
    {
        using var udp = new UdpClient(new IPEndPoint(_dns.EndPoint.Address, 0));
        udp.Connect(_dns.EndPoint);
        var random = new Random(53);
        var seed = DnsMessageWriter.Write(new DnsMessage
        {
            Id = 1, RecursionDesired = true, Questions = [new DnsQuestion(DnsName.Parse("_pg._tcp.db.default.svc.cluster.local"), DnsType.SRV)],
            Edns = new DnsEdns(),
        });
        for (var i = 0; i < 3000; i++)
        {
            byte[] packet;
            if (i % 3 == 0)
            {
                packet = new byte[random.Next(0, 300)];
                random.NextBytes(packet);
            }
            else
            {
                packet = (byte[])seed.Clone();
                for (var n = random.Next(1, 5); n > 0; n--) packet[random.Next(packet.Length)] = (byte)random.Next(256);
                if (i % 7 == 0) packet = packet[..random.Next(packet.Length)];
                if (i % 11 == 0 && packet.Length >= 14) BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(12), (ushort)(0xC000 | 12)); // self-pointer loop
            }

            // Answer ids (uncompressed header) must be distinct from the probe below, so query ids start at 0x8000.
            packet.AsSpan(0, Math.Min(2, packet.Length)).Fill(0x80);
            await udp.SendAsync(packet);
        }

        var probe = await ProbeAsync(udp, 0x1234);

        Assert.Equal(DnsResponseCode.NoError, probe.ResponseCode);
        Assert.Equal("10.96.1.2", ((ARecordData)Assert.Single(probe.Answers).Data).Address.ToString());
    }

    private static async Task<DnsMessage> ProbeAsync(UdpClient udp, ushort id)
    {
        // Our socket buffer may have overflowed with replies to the garbage, so the probe is re-sent until answered.
        var query = DnsMessageWriter.Write(new DnsMessage { Id = id, Questions = [new DnsQuestion(DnsName.Parse("web.default.svc.cluster.local"), DnsType.A)] });
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await udp.SendAsync(query);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            try
            {
                while (true)
                {
                    var received = await udp.ReceiveAsync(wait.Token);
                    // Replies to the garbage arrive first; every one must still be a well-formed message.
                    var message = DnsMessageReader.Read(received.Buffer);
                    if (message.Id == id) return message;
                }
            }
            catch (OperationCanceledException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    [Fact]
    public async Task Tcp_Garbage_ConnectionClosedOrFormErr_ServerKeepsAnswering()
    {
        var random = new Random(7766);
        for (var i = 0; i < 50; i++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(_dns.EndPoint);
            var junk = new byte[random.Next(1, 200)];
            random.NextBytes(junk);
            var stream = client.GetStream();
            await stream.WriteAsync(junk);
            client.Client.Shutdown(SocketShutdown.Send);
            var buffer = new byte[70000];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }

        var result = await DigAt.RunAsync(_dns.EndPoint, "+tcp", "web.default.svc.cluster.local", "A");
        Assert.Equal(["web.default.svc.cluster.local. A 10.96.1.2"], result.AnswerLines);
    }
}

/// <summary>The server's life cycle: SERVFAIL before the view has synced, and re-binding when the DNS IP moves.</summary>
[Trait("Category", "EndToEnd")]
public sealed class ClusterDnsServerLifecycleTests
{
    [Fact]
    public async Task BeforeSync_ServFail_ThenAnswers()
    {
        await using var dns = await RunningDnsServer.StartAsync(snapshot: null);

        var before = await DigAt.RunAsync(dns.EndPoint, "web.default.svc.cluster.local", "A");
        dns.View.Publish(DnsTestCluster.Standard());
        var after = await EventuallyAsync(async () => await DigAt.RunAsync(dns.EndPoint, "web.default.svc.cluster.local", "A"), r => r.Status == "NOERROR");

        Assert.Equal("SERVFAIL", before.Status);
        Assert.Equal(["web.default.svc.cluster.local. A 10.96.1.2"], after.AnswerLines);
    }

    [Fact]
    public async Task DnsIpChanges_ServerRebindsToTheNewAddress()
    {
        var first = FakeUpstream.RandomLoopback();
        var second = FakeUpstream.RandomLoopback();
        var snapshot = DnsTestCluster.Standard();
        await using var dns = await RunningDnsServer.StartAsync(
            snapshot with { Settings = snapshot.Settings with { ClusterDns = first } }, o => o.ListenAddress = null);
        Assert.Equal(first, dns.EndPoint.Address);

        dns.View.Publish(DnsTestCluster.Standard(2) with { Settings = snapshot.Settings with { ClusterDns = second } });
        await EventuallyAsync(() => Task.FromResult(dns.Server.BoundEndPoint), ep => ep?.Address.Equals(second) == true);

        var result = await DigAt.RunAsync(dns.EndPoint, "ns.dns.cluster.local", "A");
        Assert.Equal([$"ns.dns.cluster.local. A {second}"], result.AnswerLines);
    }

    [Fact]
    public async Task ListenAddressNotOnTheHost_BoundThanksToFreebind()
    {
        // 10.255.77.x is not configured on this machine; IP_FREEBIND lets the bind succeed anyway. Nothing is sent to it.
        var address = IPAddress.Parse($"10.255.77.{Random.Shared.Next(2, 250)}");
        await using var dns = await RunningDnsServer.StartAsync(DnsTestCluster.Standard(), o => o.ListenAddress = address.ToString());
        Assert.Equal(address, dns.EndPoint.Address);
    }

    [Fact]
    public async Task AppliedSnapshot_ReportedToTheLatencyTracker()
    {
        await using var dns = await RunningDnsServer.StartAsync(DnsTestCluster.Standard());
        dns.Latency.Register("other-component");
        var standard = DnsTestCluster.Standard(2);
        var services = standard.Services.ToDictionary();
        services["default/web"] = services["default/web"] with { TriggerTime = DateTimeOffset.UtcNow.AddMilliseconds(-200) };
        var snapshot = standard with { Services = services };

        dns.View.Publish(snapshot);
        // Measured only once every registered component has applied version 2, so this waits for "dns".
        var count = await EventuallyAsync(() =>
        {
            dns.Latency.Applied("other-component", snapshot);
            return Task.FromResult(dns.Latency.Histogram.Count);
        }, c => c > 0);

        Assert.Equal(1, count);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await probe();
            if (done(value) || DateTime.UtcNow > deadline) return value;
            await Task.Delay(50);
        }
    }
}
