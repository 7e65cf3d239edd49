using System.Net;
using Orchestrator.Agent.Dns;

namespace Orchestrator.Tests.Agent.Dns;

public sealed class DnsTruncationTests
{
    private static readonly DnsName Name = DnsName.Parse("big.default.svc.cluster.local");

    private static DnsMessage BigResponse(DnsEdns? edns, int count = 100) => new()
    {
        Id = 42, IsResponse = true, IsAuthoritative = true,
        Questions = [new DnsQuestion(Name, DnsType.A)],
        Answers = Enumerable.Range(0, count).Select(i => new DnsResourceRecord(Name, 5, new ARecordData(new IPAddress([10, 244, (byte)(i / 250), (byte)(i % 250 + 1)])))).ToList(),
        Authorities = [new DnsResourceRecord(DnsName.Parse("cluster.local"), 5, new NsRecordData(DnsName.Parse("ns.dns.cluster.local")))],
        Additionals = [new DnsResourceRecord(DnsName.Parse("ns.dns.cluster.local"), 5, new ARecordData(IPAddress.Parse("10.96.0.10")))],
        Edns = edns,
    };

    [Fact]
    public void Over512_WithoutEdns_SetsTcAndEndsOnARecordBoundary()
    {
        var query = new DnsMessage { Questions = [new DnsQuestion(Name, DnsType.A)] };
        var limit = DnsMessageWriter.MaxUdpResponseSize(query);
        Assert.Equal(512, limit);

        var bytes = DnsMessageWriter.Write(BigResponse(null), limit);
        Assert.True(bytes.Length <= 512);
        var decoded = DnsMessageReader.Read(bytes); // parses to the last byte: no half record
        Assert.True(decoded.IsTruncated);
        // 12 + question (31 + 4) + n * 16 ≤ 512 → n = 29; a 30th would need 16 more octets than remain.
        Assert.Equal(29, decoded.Answers.Count);
        Assert.Equal(12 + 35 + 29 * 16, bytes.Length);
        Assert.Empty(decoded.Authorities);
        Assert.Empty(decoded.Additionals);
        Assert.Equal(BigResponse(null).Answers.Take(29), decoded.Answers);
        Assert.Equal(bytes, DnsMessageWriter.Write(decoded)); // re-encoding yields the same octets: nothing dangling
    }

    [Fact]
    public void Over512_WithEdns512_KeepsOpt()
    {
        var edns = new DnsEdns { UdpPayloadSize = 512, Options = [new EdnsOption(65001, [1, 2, 3, 4])] };
        var bytes = DnsMessageWriter.Write(BigResponse(edns), 512);
        Assert.True(bytes.Length <= 512);
        var decoded = DnsMessageReader.Read(bytes);
        Assert.True(decoded.IsTruncated);
        Assert.Equal(edns, decoded.Edns);
        Assert.Equal((512 - 12 - 35 - edns.WireLength) / 16, decoded.Answers.Count);
    }

    [Fact]
    public void WithEdns4096_EverythingFits()
    {
        var query = new DnsMessage { Questions = [new DnsQuestion(Name, DnsType.A)], Edns = new DnsEdns { UdpPayloadSize = 4096 } };
        Assert.Equal(1232, DnsMessageWriter.MaxUdpResponseSize(query));
        var limit = DnsMessageWriter.MaxUdpResponseSize(query, cap: 4096);
        Assert.Equal(4096, limit);

        var response = BigResponse(new DnsEdns { UdpPayloadSize = 4096 });
        var decoded = DnsMessageReader.Read(DnsMessageWriter.Write(response, limit));
        Assert.False(decoded.IsTruncated);
        Assert.Equal(response, decoded);
    }

    [Fact]
    public void AdvertisedSizeBelow512_IsTreatedAs512() =>
        Assert.Equal(512, DnsMessageWriter.MaxUdpResponseSize(new DnsMessage { Edns = new DnsEdns { UdpPayloadSize = 100 } }));

    [Fact]
    public void OnlyAdditionalDropped_DoesNotSetTc()
    {
        var response = BigResponse(null, count: 20);
        response.Additionals = Enumerable.Range(0, 20).Select(i => new DnsResourceRecord(DnsName.Parse($"extra{i}.cluster.local"), 5, new ARecordData(IPAddress.Loopback))).ToList();
        var decoded = DnsMessageReader.Read(DnsMessageWriter.Write(response, 512));
        Assert.False(decoded.IsTruncated);
        Assert.Equal(20, decoded.Answers.Count);
        Assert.Single(decoded.Authorities);
        Assert.InRange(decoded.Additionals.Count, 1, 19);
    }

    [Fact]
    public void RolledBackRecord_LeavesNoDanglingCompressionPointer()
    {
        // The record that does not fit introduces a new suffix; a later, smaller message must not point into it.
        var response = BigResponse(null, count: 28);
        response.Answers.Add(new DnsResourceRecord(Name, 5, new CnameRecordData(DnsName.Parse("a-very-long-label-that-will-not-fit-in-the-rest.example.org"))));
        response.Answers.Add(new DnsResourceRecord(DnsName.Parse("example.org"), 5, new ARecordData(IPAddress.Loopback)));
        var bytes = DnsMessageWriter.Write(response, 512);
        var decoded = DnsMessageReader.Read(bytes);
        Assert.True(decoded.IsTruncated);
        Assert.Equal(28, decoded.Answers.Count);
    }

    [Fact]
    public void QuestionsAloneOverLimit_Throws()
    {
        // Three distinct 193-octet names share no suffix: 12 + 3 * 197 = 603 octets before any record.
        var questions = "qrs".Select(c => new string(c, 63)).Select(l => new DnsQuestion(DnsName.Parse($"{l}.{l}.{l}"), DnsType.A)).ToList();
        var message = new DnsMessage { Questions = questions };
        Assert.Throws<InvalidOperationException>(() => DnsMessageWriter.Write(message, 512));
        Assert.Equal(3, DnsMessageReader.Read(DnsMessageWriter.Write(message, 1232)).Questions.Count);
    }
}
