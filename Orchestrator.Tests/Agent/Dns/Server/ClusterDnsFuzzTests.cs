using Orchestrator.Agent.Dns;
using Orchestrator.Agent.Dns.Server;

namespace Orchestrator.Tests.Agent.Dns.Server;

/// <summary>
/// The responder under hostile input (no sockets): random bytes, mutated real queries, pointer loops and every
/// truncation. It must never throw; whatever it sends must parse, carry the query's id, and fit 512 octets when the
/// query had no EDNS. Seeds are fixed so a failure reproduces; the failing input is printed.
/// </summary>
public sealed class ClusterDnsFuzzTests
{
    private static readonly ClusterDnsResponder Responder = ClusterDnsResponderTests.Synced();

    private static List<byte[]> Seeds() =>
    [
        Q("web.default.svc.cluster.local", DnsType.A, new DnsEdns()),
        Q("_pg._tcp.db.default.svc.cluster.local", DnsType.SRV, null),
        Q("big.default.svc.cluster.local", DnsType.A, null),
        Q("big.default.svc.cluster.local", DnsType.A, new DnsEdns { UdpPayloadSize = 700, Options = [new EdnsOption(10, [1, 2, 3, 4, 5, 6, 7, 8])] }),
        Q("2.1.96.10.in-addr.arpa", DnsType.PTR, new DnsEdns { DnssecOk = true }),
        Q("nope.default.svc.cluster.local", DnsType.AAAA, null),
        Q("alias.default.svc.cluster.local", DnsType.ANY, null),
    ];

    private static byte[] Q(string name, DnsType type, DnsEdns? edns) =>
        DnsMessageWriter.Write(new DnsMessage { Id = 0x5A5A, RecursionDesired = true, Questions = [new DnsQuestion(DnsName.Parse(name), type)], Edns = edns });

    [Fact]
    public void RandomBytes_AnsweredOrDropped()
    {
        var random = new Random(1034);
        var replies = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, i % 3 == 0 ? 40 : 400)];
            random.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length >= 12)
            {
                bytes[2] &= 0x7F; // a query, so it is not dropped as a response
                bytes[4] = 0;
                bytes[5] = 1;
                for (var c = 6; c < 12; c++) bytes[c] = 0;
            }

            if (Check(bytes)) replies++;
        }

        Assert.True(replies > 5000, $"only {replies} replies");
    }

    [Fact]
    public void MutatedQueries_AnsweredOrDropped()
    {
        var random = new Random(2181);
        var seeds = Seeds();
        for (var i = 0; i < 30_000; i++)
        {
            var bytes = (byte[])seeds[i % seeds.Count].Clone();
            switch (random.Next(5))
            {
                case 0:
                    for (var n = random.Next(1, 4); n > 0; n--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes = bytes[..random.Next(bytes.Length)];
                    break;
                case 2:
                {
                    var at = random.Next(12, bytes.Length - 1);
                    var target = random.Next(3) switch { 0 => at, 1 => random.Next(bytes.Length + 10), _ => random.Next(0x4000) };
                    bytes[at] = (byte)(0xC0 | (target >> 8 & 0x3F));
                    bytes[at + 1] = (byte)target;
                    break;
                }
                case 3:
                    for (var n = random.Next(1, 6); n > 0; n--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                    break;
                default:
                {
                    var c = 4 + 2 * random.Next(4);
                    bytes[c] = (byte)random.Next(3);
                    bytes[c + 1] = (byte)random.Next(256);
                    break;
                }
            }

            Check(bytes);
            Check(bytes, tcp: true);
        }
    }

    [Fact]
    public void CompressionPointerLoopsInTheQuestion_FormErr()
    {
        foreach (var seed in Seeds())
        {
            foreach (var target in new[] { 12, 13, 14 })
            {
                var bytes = (byte[])seed.Clone();
                bytes[12] = (byte)(0xC0 | target >> 8);
                bytes[13] = (byte)target;
                var buffer = new byte[65535];
                Assert.Equal(DnsHandling.Reply, Responder.Handle(bytes, buffer, false, out var written, out _));
                Assert.Equal(DnsResponseCode.FormErr, DnsMessageReader.Read(buffer.AsSpan(0, written)).ResponseCode);
            }
        }
    }

    [Fact]
    public void EveryTruncationOfEverySeed_AnsweredOrDropped()
    {
        foreach (var seed in Seeds())
            for (var length = 0; length <= seed.Length; length++)
                Check(seed[..length]);
    }

    /// <summary>True when a reply was produced (and judged).</summary>
    private static bool Check(byte[] bytes, bool tcp = false)
    {
        var buffer = new byte[tcp ? 65535 : 1232];
        DnsHandling handling;
        int written;
        try
        {
            handling = Responder.Handle(bytes, buffer, tcp, out written, out _);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"responder threw for {Convert.ToHexString(bytes)}: {e}");
        }

        if (handling != DnsHandling.Reply) return false;
        DnsMessage reply;
        try
        {
            reply = DnsMessageReader.Read(buffer.AsSpan(0, written));
        }
        catch (DnsFormatException e)
        {
            throw new Xunit.Sdk.XunitException($"unparseable reply to {Convert.ToHexString(bytes)}: {e.Message}");
        }

        Assert.True(reply.IsResponse);
        Assert.Equal(bytes[0] << 8 | bytes[1], reply.Id);
        var hadEdns = DnsMessageReader.TryRead(bytes, out var query, out _, out _) && query!.Edns != null;
        if (!tcp && !hadEdns) Assert.True(written <= 512, $"{written} octets to a query without EDNS: {Convert.ToHexString(bytes)}");
        return true;
    }
}
