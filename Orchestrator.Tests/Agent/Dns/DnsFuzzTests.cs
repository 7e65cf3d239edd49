using System.Net;
using Orchestrator.Agent.Dns;

namespace Orchestrator.Tests.Agent.Dns;

/// <summary>
/// The reader's contract under hostile input: it throws <see cref="DnsFormatException"/> and nothing else, and whatever
/// it accepts survives write → read unchanged. Seeds are fixed so a failure reproduces; the failing input is printed.
/// </summary>
public sealed class DnsFuzzTests
{
    private static DnsName N(string s) => DnsName.Parse(s);

    /// <summary>Valid messages to mutate: compression in owners and RDATA, every modelled type, EDNS with options.</summary>
    private static List<byte[]> Seeds()
    {
        var svc = N("web.default.svc.cluster.local");
        var full = new DnsMessage
        {
            Id = 7, IsResponse = true, IsAuthoritative = true, RecursionDesired = true,
            Questions = [new DnsQuestion(svc, DnsType.ANY)],
            Answers =
            [
                new DnsResourceRecord(svc, 5, new ARecordData(IPAddress.Parse("10.96.1.2"))),
                new DnsResourceRecord(svc, 5, new AaaaRecordData(IPAddress.Parse("fd00::2"))),
                new DnsResourceRecord(N("_http._tcp.web.default.svc.cluster.local"), 5, new SrvRecordData(0, 50, 80, N("pod-0.web.default.svc.cluster.local"))),
                new DnsResourceRecord(N("alias.default.svc.cluster.local"), 5, new CnameRecordData(svc)),
                new DnsResourceRecord(N("2.1.96.10.in-addr.arpa"), 5, new PtrRecordData(svc)),
                new DnsResourceRecord(N("dns-version.cluster.local"), 5, new TxtRecordData("1.1.0", "x")),
                new DnsResourceRecord(N("cluster.local"), 5, new NsRecordData(N("ns.dns.cluster.local"))),
                new DnsResourceRecord(svc, 5, new UnknownRecordData((DnsType)99, [1, 2, 3])),
            ],
            Authorities = [new DnsResourceRecord(N("cluster.local"), 5, new SoaRecordData(N("ns.dns.cluster.local"), N("hostmaster.cluster.local"), 1, 2, 3, 4, 5))],
            Additionals = [new DnsResourceRecord(N("pod-0.web.default.svc.cluster.local"), 5, new ARecordData(IPAddress.Parse("10.244.0.5")))],
            Edns = new DnsEdns { UdpPayloadSize = 1232, DnssecOk = true, Options = [new EdnsOption(10, [1, 2, 3, 4, 5, 6, 7, 8])] },
        };
        var query = new DnsMessage { Id = 9, RecursionDesired = true, Questions = [new DnsQuestion(svc, DnsType.A)], Edns = new DnsEdns() };
        var nx = new DnsMessage
        {
            Id = 11, IsResponse = true, ResponseCode = DnsResponseCode.NXDomain,
            Questions = [new DnsQuestion(N("nope.default.svc.cluster.local"), DnsType.AAAA)],
            Authorities = full.Authorities,
        };
        return [DnsMessageWriter.Write(full), DnsMessageWriter.Write(query), DnsMessageWriter.Write(nx)];
    }

    [Fact]
    public void RandomBytes_OnlyDnsFormatException()
    {
        var random = new Random(5301);
        var accepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, i % 4 == 0 ? 64 : 600)];
            random.NextBytes(bytes);
            if (i % 2 == 0 && bytes.Length >= 12)
            {
                // Keep the counts small so random input gets past the header more often and reaches the record code.
                for (var c = 4; c < 12; c += 2) bytes[c] = 0;
                for (var c = 5; c < 12; c += 2) bytes[c] = (byte)random.Next(0, 3);
            }

            if (Check(bytes)) accepted++;
        }

        Assert.True(accepted > 100, $"only {accepted} random inputs were accepted; the fuzzer is not reaching the body");
    }

    [Fact]
    public void MutatedMessages_OnlyDnsFormatException()
    {
        var random = new Random(1035);
        var seeds = Seeds();
        var accepted = 0;
        for (var i = 0; i < 30_000; i++)
        {
            var seed = seeds[i % seeds.Count];
            var bytes = Mutate(seed, random);
            if (Check(bytes)) accepted++;
        }

        Assert.True(accepted > 1000, $"only {accepted} mutated inputs were accepted");
    }

    [Fact]
    public void EveryTruncationOfEverySeed_Rejected()
    {
        foreach (var seed in Seeds())
        {
            Assert.True(Check(seed));
            for (var length = 0; length < seed.Length; length++)
            {
                // Any proper prefix cuts a counted record or question; trailing bytes are the only slack and there are none.
                var e = Assert.Throws<DnsFormatException>(() => DnsMessageReader.Read(seed.AsSpan(0, length)));
                Assert.Equal(length >= 12, e.Header.HasValue);
            }
        }
    }

    [Fact]
    public void PointerAtEveryOffset_PointingAtItselfForwardAndBeyond()
    {
        foreach (var seed in Seeds())
        {
            for (var at = 12; at < seed.Length - 1; at++)
            {
                foreach (var target in new[] { at, at + 2, at - 2, seed.Length, 0x3FFF, 12 })
                {
                    if (target < 0) continue;
                    var bytes = (byte[])seed.Clone();
                    bytes[at] = (byte)(0xC0 | (target >> 8 & 0x3F));
                    bytes[at + 1] = (byte)target;
                    Check(bytes);
                }
            }
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(7))
        {
            case 0: // bit flips
                for (var n = random.Next(1, 4); n > 0; n--) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1: // truncation
                return bytes[..random.Next(bytes.Length)];
            case 2: // a count set high
            {
                var c = 4 + 2 * random.Next(4);
                bytes[c] = (byte)random.Next(256);
                bytes[c + 1] = (byte)random.Next(256);
                return bytes;
            }
            case 3: // a compression pointer somewhere, to anywhere (itself, forward, beyond the end)
            {
                var at = random.Next(12, bytes.Length - 1);
                var target = random.Next(3) switch { 0 => at, 1 => random.Next(bytes.Length + 40), _ => random.Next(0x4000) };
                bytes[at] = (byte)(0xC0 | (target >> 8 & 0x3F));
                bytes[at + 1] = (byte)target;
                return bytes;
            }
            case 4: // random byte overwrites
                for (var n = random.Next(1, 8); n > 0; n--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return bytes;
            case 5: // bytes inserted or removed in the middle (shifts every later offset)
            {
                var at = random.Next(12, bytes.Length);
                var list = bytes.ToList();
                if (random.Next(2) == 0) list.InsertRange(at, Enumerable.Range(0, random.Next(1, 4)).Select(_ => (byte)random.Next(256)));
                else list.RemoveRange(at, Math.Min(random.Next(1, 4), list.Count - at));
                return list.ToArray();
            }
            default: // an RDLENGTH-ish pair of bytes nudged
            {
                var at = random.Next(12, bytes.Length - 1);
                var value = (bytes[at] << 8 | bytes[at + 1]) + random.Next(-3, 4);
                bytes[at] = (byte)(value >> 8);
                bytes[at + 1] = (byte)value;
                return bytes;
            }
        }
    }

    /// <summary>True when accepted (and then round-tripped); false when rejected with DnsFormatException.</summary>
    private static bool Check(byte[] bytes)
    {
        DnsMessage message;
        try
        {
            message = DnsMessageReader.Read(bytes);
        }
        catch (DnsFormatException)
        {
            return false;
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"reader threw {e.GetType().Name} for {Convert.ToHexString(bytes)}: {e}");
        }

        byte[] written;
        try
        {
            written = DnsMessageWriter.Write(message);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"writer failed on an accepted message {Convert.ToHexString(bytes)}: {e}");
        }

        var again = DnsMessageReader.Read(written);
        if (!message.Equals(again))
            throw new Xunit.Sdk.XunitException($"round trip changed {Convert.ToHexString(bytes)}:\n{message}\n---\n{again}");
        // Compression is deterministic, so a second pass must reproduce the same bytes.
        Assert.Equal(written, DnsMessageWriter.Write(again));
        return true;
    }
}
