using Orchestrator.Agent.Dns;
using Orchestrator.Agent.Dns.Server;
using Orchestrator.Agent.Services;

namespace Orchestrator.Tests.Agent.Dns.Server;

/// <summary>
/// The zone against the Kubernetes DNS specification and CoreDNS's behaviour, table-driven as CoreDNS's own tests:
/// {qname, qtype} → {rcode, answer, SOA in authority}.
/// </summary>
public sealed class ClusterDnsZoneTests
{
    private static readonly ClusterDnsZone Zone = new(DnsTestCluster.Standard());

    private static DnsMessage Ask(string name, DnsType type, ClusterDnsZone? zone = null) =>
        (zone ?? Zone).Answer(new DnsMessage { Id = 4242, RecursionDesired = true, Questions = [new DnsQuestion(DnsName.Parse(name), type)] });

    private static string[] Lines(IEnumerable<DnsResourceRecord> records) =>
        records.Select(r => $"{r.Name} {r.Ttl} {DnsText.Type(r.Type)} {r.Data}").ToArray();

    public static TheoryData<string, DnsType, DnsResponseCode, string[]> Positive() => new()
    {
        { "web.default.svc.cluster.local", DnsType.A, DnsResponseCode.NoError, ["web.default.svc.cluster.local. 5 A 10.96.1.2"] },
        { "dual.default.svc.cluster.local", DnsType.AAAA, DnsResponseCode.NoError, ["dual.default.svc.cluster.local. 5 AAAA fd00::4"] },
        { "dual.default.svc.cluster.local", DnsType.A, DnsResponseCode.NoError, ["dual.default.svc.cluster.local. 5 A 10.96.1.4"] },
        { "web.other.svc.cluster.local", DnsType.A, DnsResponseCode.NoError, ["web.other.svc.cluster.local. 5 A 10.96.2.2"] },
        { "kube-dns.kube-system.svc.cluster.local", DnsType.A, DnsResponseCode.NoError, ["kube-dns.kube-system.svc.cluster.local. 5 A 10.96.0.10"] },
        // Headless: ready endpoints only; the not-ready 10.244.2.8 is left out.
        {
            "db.default.svc.cluster.local", DnsType.A, DnsResponseCode.NoError,
            ["db.default.svc.cluster.local. 5 A 10.244.1.5", "db.default.svc.cluster.local. 5 A 10.244.1.6", "db.default.svc.cluster.local. 5 A 10.244.2.7"]
        },
        { "pub.default.svc.cluster.local", DnsType.A, DnsResponseCode.NoError, ["pub.default.svc.cluster.local. 5 A 10.244.3.9"] },
        { "db-0.db.default.svc.cluster.local", DnsType.A, DnsResponseCode.NoError, ["db-0.db.default.svc.cluster.local. 5 A 10.244.1.5"] },
        { "10-244-2-7.db.default.svc.cluster.local", DnsType.A, DnsResponseCode.NoError, ["10-244-2-7.db.default.svc.cluster.local. 5 A 10.244.2.7"] },
        { "_http._tcp.web.default.svc.cluster.local", DnsType.SRV, DnsResponseCode.NoError, ["_http._tcp.web.default.svc.cluster.local. 5 SRV 0 100 80 web.default.svc.cluster.local."] },
        { "_dns._udp.web.default.svc.cluster.local", DnsType.SRV, DnsResponseCode.NoError, ["_dns._udp.web.default.svc.cluster.local. 5 SRV 0 100 53 web.default.svc.cluster.local."] },
        {
            "_pg._tcp.db.default.svc.cluster.local", DnsType.SRV, DnsResponseCode.NoError,
            [
                "_pg._tcp.db.default.svc.cluster.local. 5 SRV 0 33 5432 db-0.db.default.svc.cluster.local.",
                "_pg._tcp.db.default.svc.cluster.local. 5 SRV 0 33 5432 db-1.db.default.svc.cluster.local.",
                "_pg._tcp.db.default.svc.cluster.local. 5 SRV 0 33 5432 10-244-2-7.db.default.svc.cluster.local.",
            ]
        },
        { "ext.default.svc.cluster.local", DnsType.A, DnsResponseCode.NoError, ["ext.default.svc.cluster.local. 5 CNAME Example.COM."] },
        { "ext.default.svc.cluster.local", DnsType.CNAME, DnsResponseCode.NoError, ["ext.default.svc.cluster.local. 5 CNAME Example.COM."] },
        // An ExternalName inside the cluster zone is chased.
        {
            "alias.default.svc.cluster.local", DnsType.A, DnsResponseCode.NoError,
            ["alias.default.svc.cluster.local. 5 CNAME web.default.svc.cluster.local.", "web.default.svc.cluster.local. 5 A 10.96.1.2"]
        },
        { "10-244-7-9.default.pod.cluster.local", DnsType.A, DnsResponseCode.NoError, ["10-244-7-9.default.pod.cluster.local. 5 A 10.244.7.9"] },
        { "10-244-7-9.quiet.pod.cluster.local", DnsType.A, DnsResponseCode.NoError, ["10-244-7-9.quiet.pod.cluster.local. 5 A 10.244.7.9"] },
        { "dns-version.cluster.local", DnsType.TXT, DnsResponseCode.NoError, ["dns-version.cluster.local. 5 TXT \"1.1.0\""] },
        { "ns.dns.cluster.local", DnsType.A, DnsResponseCode.NoError, ["ns.dns.cluster.local. 5 A 10.96.0.10"] },
        { "cluster.local", DnsType.NS, DnsResponseCode.NoError, ["cluster.local. 5 NS ns.dns.cluster.local."] },
        { "2.1.96.10.in-addr.arpa", DnsType.PTR, DnsResponseCode.NoError, ["2.1.96.10.in-addr.arpa. 5 PTR web.default.svc.cluster.local."] },
        { "10.0.96.10.in-addr.arpa", DnsType.PTR, DnsResponseCode.NoError, ["10.0.96.10.in-addr.arpa. 5 PTR kube-dns.kube-system.svc.cluster.local."] },
        { "5.1.244.10.in-addr.arpa", DnsType.PTR, DnsResponseCode.NoError, ["5.1.244.10.in-addr.arpa. 5 PTR db-0.db.default.svc.cluster.local."] },
        { "7.2.244.10.in-addr.arpa", DnsType.PTR, DnsResponseCode.NoError, ["7.2.244.10.in-addr.arpa. 5 PTR 10-244-2-7.db.default.svc.cluster.local."] },
        // A pod behind a ClusterIP service: its pod name, which resolves forward (above).
        { "10.1.244.10.in-addr.arpa", DnsType.PTR, DnsResponseCode.NoError, ["10.1.244.10.in-addr.arpa. 5 PTR 10-244-1-10.default.pod.cluster.local."] },
    };

    [Theory]
    [MemberData(nameof(Positive))]
    public void Answer_ExistingRecords(string name, DnsType type, DnsResponseCode rcode, string[] expected)
    {
        var response = Ask(name, type);

        Assert.Equal(rcode, response.ResponseCode);
        Assert.True(response.IsAuthoritative);
        Assert.True(response.IsResponse);
        Assert.Equal(4242, response.Id);
        Assert.Equal(expected, Lines(response.Answers));
        Assert.Empty(response.Authorities);
    }

    public static TheoryData<string, DnsType> NameErrors() => new()
    {
        { "nope.default.svc.cluster.local", DnsType.A },
        { "web.nonamespace.svc.cluster.local", DnsType.A },
        { "nonamespace.svc.cluster.local", DnsType.A },
        { "empty.default.svc.cluster.local", DnsType.A }, // headless without ready endpoints (spec)
        { "empty.default.svc.cluster.local", DnsType.AAAA },
        { "db-9.db.default.svc.cluster.local", DnsType.A },
        { "10-244-2-8.db.default.svc.cluster.local", DnsType.A }, // not ready
        { "db-0.web.default.svc.cluster.local", DnsType.A }, // endpoint names exist only for headless services
        { "10-244-1-10.web.default.svc.cluster.local", DnsType.A },
        { "_nope._tcp.web.default.svc.cluster.local", DnsType.SRV },
        { "_http._udp.web.default.svc.cluster.local", DnsType.SRV }, // wrong protocol
        { "_http._tcp.empty.default.svc.cluster.local", DnsType.SRV },
        { "_http._tcp.ext.default.svc.cluster.local", DnsType.SRV },
        { "a.b.web.default.svc.cluster.local", DnsType.A },
        { "10-244-7-9.nonamespace.pod.cluster.local", DnsType.A },
        { "not-an-ip.default.pod.cluster.local", DnsType.A },
        { "10-244-7-300.default.pod.cluster.local", DnsType.A },
        { "whatever.cluster.local", DnsType.A },
        { "3.3.96.10.in-addr.arpa", DnsType.PTR }, // in the service CIDR, nobody's
        { "8.2.244.10.in-addr.arpa", DnsType.PTR }, // not-ready headless endpoint
        { "dangling.default.svc.cluster.local", DnsType.A }, // CNAME to a name of the zone that does not exist
    };

    [Theory]
    [MemberData(nameof(NameErrors))]
    public void Answer_MissingName_NxDomainWithSoa(string name, DnsType type)
    {
        var response = Ask(name, type);

        Assert.Equal(DnsResponseCode.NXDomain, response.ResponseCode);
        Assert.True(response.IsAuthoritative);
        var soa = Assert.Single(response.Authorities);
        Assert.Equal(DnsType.SOA, soa.Type);
        Assert.Equal(5u, soa.Ttl);
        Assert.Equal(5u, ((SoaRecordData)soa.Data).Minimum);
        Assert.All(response.Answers, a => Assert.Equal(DnsType.CNAME, a.Type));
    }

    public static TheoryData<string, DnsType> NoData() => new()
    {
        { "web.default.svc.cluster.local", DnsType.AAAA },
        { "web.default.svc.cluster.local", DnsType.TXT },
        { "web.default.svc.cluster.local", DnsType.SRV },
        { "db.default.svc.cluster.local", DnsType.AAAA },
        { "_http._tcp.web.default.svc.cluster.local", DnsType.A },
        { "_tcp.web.default.svc.cluster.local", DnsType.A }, // empty non-terminal above the SRV names
        { "default.svc.cluster.local", DnsType.A },
        { "quiet.svc.cluster.local", DnsType.A }, // a namespace without services still exists
        { "svc.cluster.local", DnsType.A },
        { "pod.cluster.local", DnsType.A },
        { "default.pod.cluster.local", DnsType.A },
        { "10-244-7-9.default.pod.cluster.local", DnsType.AAAA },
        { "cluster.local", DnsType.A },
        { "dns-version.cluster.local", DnsType.A },
        { "ns.dns.cluster.local", DnsType.AAAA },
        { "2.1.96.10.in-addr.arpa", DnsType.A },
    };

    [Theory]
    [MemberData(nameof(NoData))]
    public void Answer_NameWithoutThatType_NoDataWithSoa(string name, DnsType type)
    {
        var response = Ask(name, type);

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.True(response.IsAuthoritative);
        Assert.Empty(response.Answers);
        var soa = Assert.Single(response.Authorities);
        Assert.Equal(DnsType.SOA, soa.Type);
    }

    [Fact]
    public void Soa_NamesAsCoreDns()
    {
        var response = Ask("cluster.local", DnsType.SOA);

        var soa = Assert.Single(response.Answers);
        Assert.Equal("cluster.local.", soa.Name.ToString());
        var data = (SoaRecordData)soa.Data;
        Assert.Equal("ns.dns.cluster.local.", data.PrimaryServer.ToString());
        Assert.Equal("hostmaster.cluster.local.", data.ResponsibleMailbox.ToString());
        Assert.Equal((7200u, 1800u, 86400u, 5u), (data.Refresh, data.Retry, data.Expire, data.Minimum));
    }

    [Fact]
    public void NegativeAnswer_InReverseZone_SoaOwnerIsTheCidrsReverseZone()
    {
        Assert.Equal("10.in-addr.arpa.", Assert.Single(Ask("3.3.96.10.in-addr.arpa", DnsType.PTR).Authorities).Name.ToString());
        Assert.Equal("244.10.in-addr.arpa.", Assert.Single(Ask("9.9.244.10.in-addr.arpa", DnsType.PTR).Authorities).Name.ToString());
        Assert.Equal("cluster.local.", Assert.Single(Ask("nope.cluster.local", DnsType.A).Authorities).Name.ToString());
    }

    [Fact]
    public void Srv_Additionals_CarryTheTargetsAddresses()
    {
        var headless = Ask("_pg._tcp.db.default.svc.cluster.local", DnsType.SRV);
        Assert.Equal(
            ["db-0.db.default.svc.cluster.local. 5 A 10.244.1.5", "db-1.db.default.svc.cluster.local. 5 A 10.244.1.6", "10-244-2-7.db.default.svc.cluster.local. 5 A 10.244.2.7"],
            Lines(headless.Additionals));

        var clusterIp = Ask("_http._tcp.web.default.svc.cluster.local", DnsType.SRV);
        Assert.Equal(["web.default.svc.cluster.local. 5 A 10.96.1.2"], Lines(clusterIp.Additionals));
    }

    [Fact]
    public void Ns_AdditionalCarriesTheDnsAddress()
    {
        var response = Ask("cluster.local", DnsType.NS);
        Assert.Equal(["ns.dns.cluster.local. 5 A 10.96.0.10"], Lines(response.Additionals));
    }

    [Fact]
    public void Names_MatchCaseInsensitively_QuestionAndOwnerEchoedAsAsked()
    {
        var response = Ask("WeB.DeFault.SVC.Cluster.LOCAL", DnsType.A);

        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal("WeB.DeFault.SVC.Cluster.LOCAL.", response.Questions[0].Name.ToString());
        Assert.Equal(["WeB.DeFault.SVC.Cluster.LOCAL. 5 A 10.96.1.2"], Lines(response.Answers));
        Assert.Equal(DnsResponseCode.NoError, Ask("_HTTP._TCP.web.default.svc.cluster.local", DnsType.SRV).ResponseCode);
        Assert.Equal(DnsResponseCode.NoError, Ask("DB-0.db.default.svc.cluster.local", DnsType.A).ResponseCode);
    }

    [Fact]
    public void Any_ReturnsEveryRecordOfTheName()
    {
        Assert.Equal([DnsType.SOA, DnsType.NS], Ask("cluster.local", DnsType.ANY).Answers.Select(a => a.Type));
        Assert.Equal(["dual.default.svc.cluster.local. 5 A 10.96.1.4", "dual.default.svc.cluster.local. 5 AAAA fd00::4"],
            Lines(Ask("dual.default.svc.cluster.local", DnsType.ANY).Answers));
    }

    [Fact]
    public void Serves_ZoneAndOwnReverseNames_NotTheRest()
    {
        Assert.True(Zone.Serves(DnsName.Parse("anything.cluster.local")));
        Assert.True(Zone.Serves(DnsName.Parse("CLUSTER.LOCAL")));
        Assert.True(Zone.Serves(DnsName.Parse("1.0.96.10.in-addr.arpa"))); // service CIDR
        Assert.True(Zone.Serves(DnsName.Parse("1.0.244.10.in-addr.arpa"))); // cluster CIDR
        Assert.False(Zone.Serves(DnsName.Parse("example.com")));
        Assert.False(Zone.Serves(DnsName.Parse("local")));
        Assert.False(Zone.Serves(DnsName.Parse("1.1.168.192.in-addr.arpa")));
        Assert.False(Zone.Serves(DnsName.Parse("96.10.in-addr.arpa"))); // a reverse zone, not an address
    }

    [Fact]
    public void Answer_NameOutsideZone_Refused()
    {
        var response = Ask("example.com", DnsType.A);
        Assert.Equal(DnsResponseCode.Refused, response.ResponseCode);
        Assert.False(response.IsAuthoritative);
    }

    [Fact]
    public void Answer_OtherClassOrZoneTransfer_Refused_OtherOpcode_NotImp()
    {
        var chaos = Zone.Answer(new DnsMessage { Questions = [new DnsQuestion(DnsName.Parse("web.default.svc.cluster.local"), DnsType.A, DnsClass.CH)] });
        Assert.Equal(DnsResponseCode.Refused, chaos.ResponseCode);
        Assert.Equal(DnsResponseCode.Refused, Ask("cluster.local", DnsType.AXFR).ResponseCode);
        var notify = Zone.Answer(new DnsMessage { Opcode = DnsOpcode.Notify, Questions = [new DnsQuestion(DnsName.Parse("cluster.local"), DnsType.SOA)] });
        Assert.Equal(DnsResponseCode.NotImp, notify.ResponseCode);
        var two = Zone.Answer(new DnsMessage { Questions = [new DnsQuestion(DnsName.Parse("cluster.local"), DnsType.SOA), new DnsQuestion(DnsName.Parse("cluster.local"), DnsType.NS)] });
        Assert.Equal(DnsResponseCode.FormErr, two.ResponseCode);
    }

    [Fact]
    public void Answer_EdnsEchoed_OnlyWhenAsked()
    {
        var withEdns = Zone.Answer(new DnsMessage { Questions = [new DnsQuestion(DnsName.Parse("web.default.svc.cluster.local"), DnsType.A)], Edns = new DnsEdns { UdpPayloadSize = 4096, DnssecOk = true } });
        Assert.NotNull(withEdns.Edns);
        Assert.True(withEdns.Edns!.DnssecOk);
        Assert.Null(Ask("web.default.svc.cluster.local", DnsType.A).Edns);
    }

    [Fact]
    public void OtherClusterDomain_ServesThatZoneOnly()
    {
        var custom = DnsTestCluster.Standard() with { Settings = NetworkSettings.From(new Dictionary<string, string> { ["clusterDomain"] = "home.lab." }) };
        var zone = new ClusterDnsZone(custom);

        Assert.Equal(["web.default.svc.home.lab. 5 A 10.96.1.2"], Lines(Ask("web.default.svc.home.lab", DnsType.A, zone).Answers));
        Assert.False(zone.Serves(DnsName.Parse("web.default.svc.cluster.local")));
        Assert.Equal("ns.dns.home.lab.", ((SoaRecordData)Ask("x.home.lab", DnsType.A, zone).Authorities[0].Data).PrimaryServer.ToString());
    }

    [Fact]
    public void HeadlessSrv_ManyEndpoints_WeightAtLeastOne()
    {
        var response = Ask("_http._tcp.big.default.svc.cluster.local", DnsType.SRV);

        Assert.Equal(DnsTestCluster.BigEndpointCount, response.Answers.Count);
        Assert.All(response.Answers, a => Assert.Equal((ushort)1, ((SrvRecordData)a.Data).Weight));
        Assert.All(response.Answers, a => Assert.Equal((ushort)8080, ((SrvRecordData)a.Data).Port));
    }
}
