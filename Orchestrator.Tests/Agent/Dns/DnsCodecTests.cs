using System.Buffers;
using System.Net;
using Orchestrator.Agent.Dns;

namespace Orchestrator.Tests.Agent.Dns;

public sealed class DnsCodecTests
{
    private static DnsName N(string s) => DnsName.Parse(s);

    public static TheoryData<string, DnsRecordData> Records => new()
    {
        { "A", new ARecordData(IPAddress.Parse("10.96.0.10")) },
        { "AAAA", new AaaaRecordData(IPAddress.Parse("fd00:10:96::a")) },
        { "CNAME", new CnameRecordData(N("www.example.com")) },
        { "PTR", new PtrRecordData(N("kube-dns.kube-system.svc.cluster.local")) },
        { "NS", new NsRecordData(N("ns.dns.cluster.local")) },
        { "SOA", new SoaRecordData(N("ns.dns.cluster.local"), N("hostmaster.cluster.local"), 1700000000, 7200, 1800, 86400, 5) },
        { "SRV", new SrvRecordData(0, 100, 443, N("web-0.web.default.svc.cluster.local")) },
        { "TXT one", new TxtRecordData("1.1.0") },
        { "TXT many", new TxtRecordData("a", "", "with \"quotes\" and \\ backslash", new string('x', 255)) },
        { "TXT bytes", new TxtRecordData([[0, 1, 2, 255], []]) },
        { "TXT none", new TxtRecordData(Array.Empty<byte[]>()) },
        { "unknown MX", new UnknownRecordData(DnsType.MX, [0, 10, 0]) },
        { "unknown TYPE65280", new UnknownRecordData((DnsType)65280, [1, 2, 3, 4, 5]) },
        { "unknown empty", new UnknownRecordData((DnsType)99, []) },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public void RoundTrip_EveryRecordType_InEverySection(string label, DnsRecordData data)
    {
        var owner = N("svc.default.svc.cluster.local");
        var message = new DnsMessage
        {
            Id = 0xBEEF,
            IsResponse = true,
            IsAuthoritative = true,
            RecursionDesired = true,
            Questions = [new DnsQuestion(owner, data.Type)],
            Answers = [new DnsResourceRecord(owner, 5, data)],
            Authorities = [new DnsResourceRecord(N("cluster.local"), DnsClass.CH, 30, data)],
            Additionals = [new DnsResourceRecord(DnsName.Root, DnsClass.ANY, uint.MaxValue, data)],
        };

        var bytes = DnsMessageWriter.Write(message);
        var decoded = DnsMessageReader.Read(bytes);

        Assert.True(message.Equals(decoded), $"{label}\n{message}\n---\n{decoded}");
        Assert.Equal(message.ToString(), decoded.ToString());
        Assert.Equal(bytes, DnsMessageWriter.Write(decoded));
    }

    [Fact]
    public void RoundTrip_AllHeaderFlagsAndExtendedRcode()
    {
        var message = new DnsMessage
        {
            Id = 1,
            IsResponse = true,
            Opcode = DnsOpcode.Notify,
            IsAuthoritative = true,
            IsTruncated = true,
            RecursionDesired = true,
            RecursionAvailable = true,
            AuthenticData = true,
            CheckingDisabled = true,
            ResponseCode = DnsResponseCode.BadVers, // 16: 0 in the header, 1 in the OPT TTL
            Edns = new DnsEdns
            {
                UdpPayloadSize = 4096, Version = 0, DnssecOk = true,
                Options = [new EdnsOption(10, [1, 2, 3, 4, 5, 6, 7, 8]), new EdnsOption(65001, [])],
            },
        };

        var bytes = DnsMessageWriter.Write(message);
        Assert.Equal(0b1_0100_1_1_1, bytes[2]);  // QR, opcode 4, AA, TC, RD
        Assert.Equal(0b1_0_1_1_0000, bytes[3]);  // RA, Z=0, AD, CD, rcode low 4 bits = 0
        var decoded = DnsMessageReader.Read(bytes);
        Assert.Equal(message, decoded);
        Assert.Equal(DnsResponseCode.BadVers, decoded.ResponseCode);
    }

    [Fact]
    public void Write_RcodeAbove15WithoutEdns_Throws() =>
        Assert.Throws<ArgumentException>(() => DnsMessageWriter.Write(new DnsMessage { ResponseCode = DnsResponseCode.BadVers }));

    [Fact]
    public void Compression_IsUsedAndDecoded()
    {
        var name = N("my-svc.my-namespace.svc.cluster.local");
        var message = new DnsMessage
        {
            IsResponse = true,
            Questions = [new DnsQuestion(name, DnsType.A)],
            Answers = Enumerable.Range(1, 10).Select(i => new DnsResourceRecord(name, 5, new ARecordData(new IPAddress([10, 244, 0, (byte)i])))).ToList(),
            Authorities = [new DnsResourceRecord(N("cluster.local"), 5,
                new SoaRecordData(N("ns.dns.cluster.local"), N("hostmaster.cluster.local"), 1, 2, 3, 4, 5))],
        };

        var bytes = DnsMessageWriter.Write(message);
        // header 12 + question (39 + 4); each answer: pointer 2 + 10 + 4; SOA owner is a pointer, mname "ns.dns" + pointer,
        // rname "hostmaster" + pointer: 2 + 10 + (3 + 4 + 2) + (11 + 2) + 20.
        Assert.Equal(12 + 43 + 10 * 16 + 2 + 10 + 9 + 13 + 20, bytes.Length);
        Assert.Equal(message, DnsMessageReader.Read(bytes));
        var uncompressed = 12 + 43 + 10 * (39 + 14) + 15 + 10 + 22 + 26 + 20;
        Assert.True(bytes.Length < uncompressed / 2);
    }

    [Fact]
    public void Compression_IsCaseInsensitive_AndSrvTargetIsNotCompressed()
    {
        var message = new DnsMessage
        {
            Questions = [new DnsQuestion(N("_http._tcp.web.ns.svc.cluster.local"), DnsType.SRV)],
            Answers = [new DnsResourceRecord(N("_HTTP._tcp.web.ns.svc.cluster.local"), 5, new SrvRecordData(1, 2, 80, N("web.ns.svc.cluster.local")))],
            Additionals = [new DnsResourceRecord(N("WEB.ns.svc.cluster.local"), 5, new ARecordData(IPAddress.Loopback))],
        };
        var bytes = DnsMessageWriter.Write(message);
        // question 37+4; answer owner pointer 2+10, rdata 6 + the target written out in full (26); additional owner is
        // a pointer to the question's "web..." suffix: 2 + 10 + 4.
        Assert.Equal(12 + 41 + 12 + 32 + 16, bytes.Length);
        var target = 12 + 41 + 12 + 6;
        Assert.Equal(3, bytes[target]);
        Assert.Equal((byte)'W' | 0x20, bytes[target + 1] | 0x20);
        Assert.Equal(0, bytes[target + 25]);
        Assert.Equal(message, DnsMessageReader.Read(bytes));
    }

    /// <summary>A query for example.com A laid out by hand from RFC 1035 §4.1.</summary>
    private static readonly byte[] QueryBytes =
    [
        0x12, 0x34, // ID
        0x01, 0x00, // QR=0 opcode=0 AA=0 TC=0 RD=1 | RA=0 Z=0 AD=0 CD=0 RCODE=0
        0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // QD=1 AN=0 NS=0 AR=0
        7, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e', 3, (byte)'c', (byte)'o', (byte)'m', 0,
        0x00, 0x01, 0x00, 0x01, // QTYPE=A QCLASS=IN
    ];

    [Fact]
    public void ExactBytes_Query()
    {
        var query = new DnsMessage
        {
            Id = 0x1234, RecursionDesired = true,
            Questions = [new DnsQuestion(N("example.com"), DnsType.A)],
        };
        Assert.Equal(QueryBytes, DnsMessageWriter.Write(query));
        Assert.Equal(query, DnsMessageReader.Read(QueryBytes));
    }

    [Fact]
    public void ExactBytes_ResponseWithCnameChainAndPointers()
    {
        byte[] expected =
        [
            0x12, 0x34, 0x81, 0x80, // QR RD | RA
            0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
            3, (byte)'w', (byte)'w', (byte)'w', 7, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e',
            3, (byte)'c', (byte)'o', (byte)'m', 0, 0x00, 0x01, 0x00, 0x01, // offset 12: www.example.com A IN
            0xC0, 12, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x0E, 0x10, 0x00, 0x02, 0xC0, 16, // www CNAME -> ptr to "example.com" at 16
            0xC0, 16, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x05, 0x00, 0x04, 93, 184, 216, 34, // example.com A
        ];
        var response = new DnsMessage
        {
            Id = 0x1234, IsResponse = true, RecursionDesired = true, RecursionAvailable = true,
            Questions = [new DnsQuestion(N("www.example.com"), DnsType.A)],
            Answers =
            [
                new DnsResourceRecord(N("www.example.com"), 3600, new CnameRecordData(N("example.com"))),
                new DnsResourceRecord(N("example.com"), 5, new ARecordData(IPAddress.Parse("93.184.216.34"))),
            ],
        };
        Assert.Equal(expected, DnsMessageWriter.Write(response));
        Assert.Equal(response, DnsMessageReader.Read(expected));
    }

    [Fact]
    public void Read_ForwardPointer_IsAccepted()
    {
        // The question name is a pointer forward into the answer's RDATA (legal: any offset inside the message).
        byte[] bytes =
        [
            0, 1, 0x80, 0, 0, 1, 0, 1, 0, 0, 0, 0,
            0xC0, 30, 0, 5, 0, 1,                           // question: name at 30, CNAME IN
            0xC0, 30, 0, 5, 0, 1, 0, 0, 0, 1, 0, 5,          // answer: owner at 30, CNAME, ttl 1, rdlength 5
            1, (byte)'a', 1, (byte)'b', 0,                   // offset 30: a.b.
        ];
        var m = DnsMessageReader.Read(bytes);
        Assert.Equal(N("a.b"), m.Questions[0].Name);
        Assert.Equal(new CnameRecordData(N("a.b")), m.Answers[0].Data);
    }

    [Fact]
    public void Read_HeaderRecoverable_FromGarbageBody()
    {
        byte[] bytes = [0xAB, 0xCD, 0x28, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0]; // opcode 5 (UPDATE), then a cut pointer
        var e = Assert.Throws<DnsFormatException>(() => DnsMessageReader.Read(bytes));
        Assert.NotNull(e.Header);
        Assert.Equal(0xABCD, e.Header.Value.Id);
        Assert.Equal(DnsOpcode.Update, e.Header.Value.Opcode);
        Assert.False(DnsMessageReader.TryRead(bytes, out _, out var header, out var error));
        Assert.Equal(0xABCD, header!.Value.Id);
        Assert.NotNull(error);

        var formErr = DnsMessageReader.Read(DnsMessageWriter.Write(DnsMessage.CreateFormatError(e.Header.Value)));
        Assert.Equal((0xABCD, true, DnsResponseCode.FormErr, DnsOpcode.Update), (formErr.Id, formErr.IsResponse, formErr.ResponseCode, formErr.Opcode));

        var shortOne = Assert.Throws<DnsFormatException>(() => DnsMessageReader.Read(bytes.AsSpan(0, 11)));
        Assert.Null(shortOne.Header);
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "empty", [] },
        { "pointer to itself", [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1] },
        { "two pointers in a loop", [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 0xC0, 12, 0, 1, 0, 1] },
        { "label loop", [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0xC0, 12, 0, 1, 0, 1] },
        { "pointer beyond end", [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 1, 0, 1] },
        { "label past end", [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, (byte)'a', 0] },
        { "label type 0x40", [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 0, 1, 0, 1] },
        { "question count lies", [0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1] },
        { "answer count lies", [0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0] },
        { "truncated record header", [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0] },
        { "rdata past end", [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 1, 2, 3] },
        { "A rdlength 5", [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 5] },
        { "CNAME shorter than rdlength", [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0] },
        { "CNAME longer than rdlength", [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 5, 0, 1, 0, 0, 0, 0, 0, 1, 1, (byte)'a', 0] },
        { "TXT string past rdata", [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 16, 0, 1, 0, 0, 0, 0, 0, 2, 5, (byte)'a', 0, 0, 0] },
        { "SRV too short", [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 33, 0, 1, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0] },
        { "OPT in answer", [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0] },
        { "two OPTs", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0] },
        { "OPT not at root", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, (byte)'a', 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0] },
        { "EDNS option past OPT", [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 4, 0, 10, 0, 8] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Read_Malformed_ThrowsDnsFormatException(string label, byte[] bytes)
    {
        var e = Assert.Throws<DnsFormatException>(() => DnsMessageReader.Read(bytes));
        Assert.False(string.IsNullOrEmpty(e.Message), label);
    }

    [Fact]
    public void Read_NameOf256Octets_ViaPointers_IsRejected()
    {
        // 4 labels of 63 octets chained by pointers: each piece is legal, the whole is 257 octets.
        var body = new List<byte>();
        for (var i = 0; i < 4; i++)
        {
            body.Add(63);
            body.AddRange(Enumerable.Repeat((byte)'a', 63));
            var next = 12 + (i + 1) * 66;
            if (i < 3) body.AddRange(new byte[] { (byte)(0xC0 | next >> 8), (byte)next });
            else body.Add(0);
        }

        byte[] bytes = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, .. body, 0, 1, 0, 1];
        Assert.Contains("255", Assert.Throws<DnsFormatException>(() => DnsMessageReader.Read(bytes)).Message);
    }

    [Fact]
    public void TcpFraming_PrefixAndPipeReader()
    {
        var framed = DnsTcpFraming.Frame(QueryBytes);
        Assert.Equal(new byte[] { 0, (byte)QueryBytes.Length }, framed[..2]);
        var two = new System.Buffers.ReadOnlySequence<byte>([.. framed, .. framed[..5]]);
        Assert.True(DnsTcpFraming.TryReadFrame(two, out var message, out var consumed));
        Assert.Equal(QueryBytes, message.ToArray());
        var rest = two.Slice(consumed);
        Assert.Equal(5, rest.Length);
        Assert.False(DnsTcpFraming.TryReadFrame(rest, out _, out _));
    }

    [Fact]
    public async Task TcpFraming_Stream()
    {
        var stream = new MemoryStream();
        await DnsTcpFraming.WriteFrameAsync(stream, QueryBytes, CancellationToken.None);
        await DnsTcpFraming.WriteFrameAsync(stream, QueryBytes, CancellationToken.None);
        stream.Position = 0;
        Assert.Equal(QueryBytes, await DnsTcpFraming.ReadFrameAsync(stream, CancellationToken.None));
        Assert.Equal(QueryBytes, await DnsTcpFraming.ReadFrameAsync(stream, CancellationToken.None));
        Assert.Null(await DnsTcpFraming.ReadFrameAsync(stream, CancellationToken.None));
        var cut = new MemoryStream(DnsTcpFraming.Frame(QueryBytes)[..10]);
        await Assert.ThrowsAsync<EndOfStreamException>(() => DnsTcpFraming.ReadFrameAsync(cut, CancellationToken.None));
    }

    [Fact]
    public void RoundTrip_NamesWithDotsBackslashesAndBinaryOctets()
    {
        var name = N(@"a\.b.back\\slash.\000\255\032.Test");
        Assert.Equal(["a.b", "back\\slash", "\u0000\u00ff ", "Test"], name.Labels);
        var message = new DnsMessage { Questions = [new DnsQuestion(name, DnsType.TXT)], Answers = [new DnsResourceRecord(name, 1, new PtrRecordData(name))] };
        var decoded = DnsMessageReader.Read(DnsMessageWriter.Write(message));
        Assert.Equal(name.ToString(), decoded.Answers[0].Name.ToString());
        Assert.Equal(@"a\.b.back\\slash.\000\255\032.Test.", decoded.Questions[0].Name.ToString());
        Assert.Equal(message, decoded);
    }

    [Fact]
    public void CreateResponse_EchoesIdQuestionAndEdns()
    {
        var query = DnsMessageReader.Read(DnsMessageWriter.Write(new DnsMessage
        {
            Id = 77, RecursionDesired = true, CheckingDisabled = true,
            Questions = [new DnsQuestion(N("a.test"), DnsType.AAAA)],
            Edns = new DnsEdns { UdpPayloadSize = 4096, DnssecOk = true, Options = [new EdnsOption(10, [1, 2, 3, 4, 5, 6, 7, 8])] },
        }));
        var response = DnsMessage.CreateResponse(query);
        Assert.Equal((77, true, true, true), (response.Id, response.IsResponse, response.RecursionDesired, response.CheckingDisabled));
        Assert.Equal(query.Questions, response.Questions);
        Assert.Equal(new DnsEdns { UdpPayloadSize = 1232, DnssecOk = true }, response.Edns);
        Assert.Null(DnsMessage.CreateResponse(new DnsMessage { Questions = query.Questions }).Edns);
    }
}
