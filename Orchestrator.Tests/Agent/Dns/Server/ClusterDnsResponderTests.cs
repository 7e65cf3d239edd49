using System.Buffers.Binary;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Dns;
using Orchestrator.Agent.Dns.Server;

namespace Orchestrator.Tests.Agent.Dns.Server;

/// <summary>
/// The packet path: the copy-and-patch answer from the per-snapshot cache must be byte-for-byte what the full path
/// would send, and every error case gets the right rcode (or nothing).
/// </summary>
public sealed class ClusterDnsResponderTests
{
    internal static ClusterDnsResponder Synced()
    {
        var responder = new ClusterDnsResponder(NoUpstream());
        responder.Apply(DnsTestCluster.Standard(), synced: true);
        return responder;
    }

    internal static UpstreamResolver NoUpstream() =>
        new(Options.Create(new ClusterDnsOptions { Upstreams = ["127.0.0.1:1"], UpstreamAttempts = 1, UpstreamTimeoutMilliseconds = 200 }),
            TimeProvider.System, NullLogger<UpstreamResolver>.Instance);

    private static (DnsHandling Handling, byte[] Bytes, DnsMessage? Forward) Handle(ClusterDnsResponder responder, byte[] packet, bool tcp = false)
    {
        var buffer = new byte[65535];
        var handling = responder.Handle(packet, buffer, tcp, out var written, out var forward);
        return (handling, buffer[..written], forward);
    }

    private static byte[] Query(string name, DnsType type, DnsEdns? edns = null, ushort id = 77, bool rd = true, bool cd = false) =>
        DnsMessageWriter.Write(new DnsMessage
        {
            Id = id, RecursionDesired = rd, CheckingDisabled = cd,
            Questions = [new DnsQuestion(DnsName.Parse(name), type)], Edns = edns,
        });

    public static TheoryData<string, DnsType, bool, bool, bool> CachedCases()
    {
        var data = new TheoryData<string, DnsType, bool, bool, bool>();
        foreach (var (name, type) in new[]
                 {
                     ("web.default.svc.cluster.local", DnsType.A), ("WEB.Default.svc.cluster.local", DnsType.A),
                     ("nope.default.svc.cluster.local", DnsType.A), ("web.default.svc.cluster.local", DnsType.AAAA),
                     ("_pg._tcp.DB.default.svc.cluster.local", DnsType.SRV), ("alias.default.svc.cluster.local", DnsType.A),
                     ("2.1.96.10.in-addr.arpa", DnsType.PTR), ("dns-version.cluster.local", DnsType.TXT),
                 })
        {
            data.Add(name, type, false, true, false);
            data.Add(name, type, true, false, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CachedCases))]
    public void CachedAnswer_SameBytesAsTheFullPath(string name, DnsType type, bool edns, bool rd, bool cd)
    {
        var responder = Synced();
        var packet = Query(name, type, edns ? new DnsEdns { UdpPayloadSize = 4096, DnssecOk = true } : null, rd: rd, cd: cd);
        var query = DnsMessageReader.Read(packet);
        var expected = DnsMessageWriter.Write(responder.Zone.Zone.Answer(query), DnsMessageWriter.MaxUdpResponseSize(query));

        var first = Handle(responder, packet);
        Assert.Equal(1, responder.Zone.CachedAnswers);
        var second = Handle(responder, packet);

        Assert.Equal(DnsHandling.Reply, first.Handling);
        Assert.Equal(expected, first.Bytes);
        Assert.Equal(expected, second.Bytes);
        Assert.Equal(1, responder.Zone.CachedAnswers);
    }

    [Fact]
    public void CachedAnswer_TooBigForTheClient_TruncatedByTheFullPath()
    {
        var responder = Synced();
        var packet = Query("big.default.svc.cluster.local", DnsType.A);
        var tcp = DnsMessageReader.Read(Handle(responder, packet, tcp: true).Bytes);
        var udp = Handle(responder, packet);
        var udpAgain = Handle(responder, packet);

        Assert.Equal(DnsTestCluster.BigEndpointCount, tcp.Answers.Count);
        Assert.False(tcp.IsTruncated);
        Assert.True(udp.Bytes.Length <= 512);
        var truncated = DnsMessageReader.Read(udp.Bytes);
        Assert.True(truncated.IsTruncated);
        Assert.InRange(truncated.Answers.Count, 1, DnsTestCluster.BigEndpointCount - 1);
        Assert.Equal(udp.Bytes, udpAgain.Bytes);

        var edns = DnsMessageReader.Read(Handle(responder, Query("big.default.svc.cluster.local", DnsType.A, new DnsEdns { UdpPayloadSize = 65000 })).Bytes);
        Assert.True(edns.IsTruncated); // 100 A records need 1.6 kB: over the 1232 cap whatever the client offers
        Assert.Equal(1232, edns.Edns!.UdpPayloadSize);
    }

    [Fact]
    public void NotSynced_ServFail()
    {
        var responder = new ClusterDnsResponder(NoUpstream());
        responder.Apply(DnsTestCluster.Standard(), synced: false);

        var response = DnsMessageReader.Read(Handle(responder, Query("web.default.svc.cluster.local", DnsType.A)).Bytes);

        Assert.Equal(DnsResponseCode.ServFail, response.ResponseCode);
        Assert.Equal(77, response.Id);
    }

    [Fact]
    public void OutsideName_Forwarded()
    {
        var (handling, _, forward) = Handle(Synced(), Query("example.com", DnsType.A));
        Assert.Equal(DnsHandling.Forward, handling);
        Assert.Equal("example.com.", forward!.Questions[0].Name.ToString());
    }

    [Fact]
    public void Garbage_FormErrWithTheId_ShortOrResponse_Dropped()
    {
        var responder = Synced();
        var garbage = new byte[] { 0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 63, 1, 2 };
        var (handling, bytes, _) = Handle(responder, garbage);
        Assert.Equal(DnsHandling.Reply, handling);
        var formErr = DnsMessageReader.Read(bytes);
        Assert.Equal((0x1234, DnsResponseCode.FormErr, true), (formErr.Id, formErr.ResponseCode, formErr.IsResponse));

        Assert.Equal(DnsHandling.Drop, Handle(responder, [1, 2, 3]).Handling);
        var response = Query("web.default.svc.cluster.local", DnsType.A);
        response[2] |= 0x80;
        Assert.Equal(DnsHandling.Drop, Handle(responder, response).Handling);
    }

    [Fact]
    public void EdnsVersion1_BadVers()
    {
        var bytes = Handle(Synced(), Query("web.default.svc.cluster.local", DnsType.A, new DnsEdns { Version = 1 })).Bytes;
        var response = DnsMessageReader.Read(bytes);
        Assert.Equal(DnsResponseCode.BadVers, response.ResponseCode);
        Assert.NotNull(response.Edns);
    }

    [Fact]
    public void TwoQuestions_FormErr_Notify_NotImp()
    {
        var responder = Synced();
        var two = DnsMessageWriter.Write(new DnsMessage
        {
            Id = 5, Questions = [new DnsQuestion(DnsName.Parse("a.cluster.local"), DnsType.A), new DnsQuestion(DnsName.Parse("b.cluster.local"), DnsType.A)],
        });
        Assert.Equal(DnsResponseCode.FormErr, DnsMessageReader.Read(Handle(responder, two).Bytes).ResponseCode);
        var notify = DnsMessageWriter.Write(new DnsMessage { Id = 6, Opcode = DnsOpcode.Notify, Questions = [new DnsQuestion(DnsName.Parse("cluster.local"), DnsType.SOA)] });
        Assert.Equal(DnsResponseCode.NotImp, DnsMessageReader.Read(Handle(responder, notify).Bytes).ResponseCode);
    }

    [Fact]
    public void NewSnapshot_ReplacesCachedAnswers()
    {
        var responder = Synced();
        var packet = Query("web.default.svc.cluster.local", DnsType.A);
        Handle(responder, packet);
        var next = DnsTestCluster.Standard(2);
        var services = next.Services.ToDictionary();
        services["default/web"] = services["default/web"] with { ClusterIps = [DnsTestCluster.Ip("10.96.9.9")] };
        responder.Apply(next with { Services = services }, synced: true);

        var answer = DnsMessageReader.Read(Handle(responder, packet).Bytes);

        Assert.Equal("10.96.9.9", ((ARecordData)Assert.Single(answer.Answers).Data).Address.ToString());
    }

    [Fact]
    public void AnswerCache_Bounded()
    {
        var responder = new ClusterDnsResponder(NoUpstream(), answerCacheSize: 16);
        responder.Apply(DnsTestCluster.Standard(), synced: true);
        for (var i = 0; i < 100; i++) Handle(responder, Query($"missing-{i}.default.svc.cluster.local", DnsType.A));
        Assert.InRange(responder.Zone.CachedAnswers, 1, 16);
    }

    [Fact]
    public void NamesOver255Octets_ServFailForThatQuery_RestOfTheZoneServed()
    {
        // A long cluster domain: 63-octet hostnames under a 63-octet service and namespace no longer fit 255 octets.
        var domain = new string('d', 60) + "." + new string('e', 40);
        var ns = new string('n', 63);
        var svc = new string('s', 63);
        var snapshot = Orchestrator.Agent.Services.ClusterServicesBuilder.Build(1, DateTimeOffset.UtcNow, "n",
            Orchestrator.Agent.Services.NetworkSettings.From(new Dictionary<string, string> { ["clusterDomain"] = domain }),
            [DnsTestCluster.Service(ns, svc, "None", [("http", 80, "TCP")]), DnsTestCluster.Service("default", "web", "10.96.1.2", [("http", 80, "TCP")])],
            [DnsTestCluster.Slice(ns, svc, [("http", 80, "TCP")], [DnsTestCluster.Endpoint("10.244.1.5", hostname: new string('h', 63))])],
            [], [], []);
        var responder = new ClusterDnsResponder(NoUpstream());
        responder.Apply(snapshot, synced: true);

        var srv = Handle(responder, Query($"_http._tcp.{svc}.{ns}.svc.{domain}", DnsType.SRV));
        var web = Handle(responder, Query($"web.default.svc.{domain}", DnsType.A));

        Assert.Equal(DnsResponseCode.ServFail, DnsMessageReader.Read(srv.Bytes).ResponseCode);
        Assert.Equal(DnsResponseCode.NoError, DnsMessageReader.Read(web.Bytes).ResponseCode);
    }

    [Fact]
    public void PlainQuery_KeyIsLowerCaseWireNamePlusType()
    {
        var packet = Query("Ab.C", DnsType.SRV, new DnsEdns { UdpPayloadSize = 1400, DnssecOk = true });
        Span<char> key = stackalloc char[PlainQuery.MaxKeyLength];

        Assert.True(PlainQuery.TryParse(packet, key, out var q, out var length));

        Assert.Equal("\u0002ab\u0001c\0" + (char)33, key[..length].ToString());
        Assert.Equal((6, DnsType.SRV, true, (ushort)1400, true), (q.NameLength, q.Type, q.HasEdns, q.UdpPayloadSize, q.DnssecOk));
        var compressed = (byte[])packet.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(compressed.AsSpan(12), 0xC00C);
        Assert.False(PlainQuery.TryParse(compressed, key, out _, out _));
    }
}
