using System.Net;
using Orchestrator.Agent.Dns;

namespace Orchestrator.Tests.Agent.Dns;

/// <summary>
/// Random valid messages (names with arbitrary octets and shared suffixes, every record type) written under random
/// size limits: what comes back must be exactly a prefix of each section, within the limit, with TC set precisely
/// when an answer or authority record was dropped. This exercises compression rollback on truncation.
/// </summary>
public sealed class DnsWriterPropertyTests
{
    private static readonly string[] Pool = ["svc", "Cluster", "local", "a.b", "x\\y", "\u0000\u00ff", "web-0", "ns", "Test", "z"];

    [Fact]
    public void RandomMessages_RandomLimits_DecodeToSectionPrefixes()
    {
        var random = new Random(2181);
        for (var i = 0; i < 3000; i++)
        {
            var message = RandomMessage(random);
            var limit = random.Next(3) == 0 ? DnsMessageWriter.MaxMessageSize : random.Next(512, 2048);
            byte[] bytes;
            try
            {
                bytes = DnsMessageWriter.Write(message, limit);
            }
            catch (InvalidOperationException)
            {
                continue; // the questions alone did not fit: allowed, and rare with these sizes
            }

            Assert.InRange(bytes.Length, 12, limit);
            var decoded = DnsMessageReader.Read(bytes);
            Assert.Equal(message.Questions, decoded.Questions);
            Assert.Equal(message.Edns, decoded.Edns);
            Assert.Equal(message.ResponseCode, decoded.ResponseCode);
            Assert.Equal(message.Answers.Take(decoded.Answers.Count), decoded.Answers);
            Assert.Equal(message.Authorities.Take(decoded.Authorities.Count), decoded.Authorities);
            Assert.Equal(message.Additionals.Take(decoded.Additionals.Count), decoded.Additionals);
            var lostAnswer = decoded.Answers.Count < message.Answers.Count || decoded.Authorities.Count < message.Authorities.Count;
            Assert.Equal(message.IsTruncated || lostAnswer, decoded.IsTruncated);
            if (decoded.Answers.Count < message.Answers.Count) Assert.Empty(decoded.Authorities);
            if (limit == DnsMessageWriter.MaxMessageSize) Assert.Equal(message, decoded);
        }
    }

    private static DnsMessage RandomMessage(Random r)
    {
        var names = Enumerable.Range(0, 6).Select(_ => RandomName(r)).ToList();
        return new DnsMessage
        {
            Id = (ushort)r.Next(65536),
            IsResponse = r.Next(2) == 0,
            IsTruncated = r.Next(10) == 0,
            RecursionDesired = r.Next(2) == 0,
            ResponseCode = (DnsResponseCode)r.Next(6),
            Questions = [new DnsQuestion(names[0], (DnsType)r.Next(1, 40))],
            Answers = Records(r, names, r.Next(0, 60)),
            Authorities = Records(r, names, r.Next(0, 4)),
            Additionals = Records(r, names, r.Next(0, 10)),
            Edns = r.Next(2) == 0 ? null : new DnsEdns { UdpPayloadSize = (ushort)r.Next(512, 4097), DnssecOk = r.Next(2) == 0 },
        };
    }

    private static DnsName RandomName(Random r)
    {
        var labels = Enumerable.Range(0, r.Next(0, 5)).Select(_ => Pool[r.Next(Pool.Length)]).ToList();
        if (r.Next(4) == 0) labels.Insert(0, new string((char)r.Next('a', 'z' + 1), r.Next(1, 64)));
        return DnsName.FromLabels(labels);
    }

    private static List<DnsResourceRecord> Records(Random r, List<DnsName> names, int count) =>
        Enumerable.Range(0, count).Select(_ =>
        {
            var name = names[r.Next(names.Count)];
            var target = names[r.Next(names.Count)];
            DnsRecordData data = r.Next(10) switch
            {
                0 => new ARecordData(new IPAddress(r.NextInt64(0, uint.MaxValue))),
                1 => new AaaaRecordData(new IPAddress(Enumerable.Range(0, 16).Select(_ => (byte)r.Next(256)).ToArray())),
                2 => new CnameRecordData(target),
                3 => new PtrRecordData(target),
                4 => new NsRecordData(target),
                5 => new SoaRecordData(target, name, (uint)r.Next(), 1, 2, 3, 4),
                6 => new SrvRecordData((ushort)r.Next(65536), (ushort)r.Next(65536), (ushort)r.Next(65536), target),
                7 => new TxtRecordData(Enumerable.Range(0, r.Next(0, 4)).Select(_ => Enumerable.Range(0, r.Next(0, 256)).Select(_ => (byte)r.Next(256)).ToArray())),
                8 => new UnknownRecordData((DnsType)r.Next(100, 65536), Enumerable.Range(0, r.Next(0, 40)).Select(_ => (byte)r.Next(256)).ToArray()),
                _ => new ARecordData(IPAddress.Loopback),
            };
            return new DnsResourceRecord(name, r.Next(8) == 0 ? DnsClass.CH : DnsClass.IN, (uint)r.Next(), data);
        }).ToList();
}
