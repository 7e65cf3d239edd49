using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orchestrator.Agent.Dns;
using Orchestrator.Agent.Dns.Server;

namespace Orchestrator.Tests.Agent.Dns.Server;

/// <summary>Forwarding to fake upstream servers on loopback: failover, TCP on truncation, cache with TTLs, loop avoidance.</summary>
public sealed class UpstreamResolverTests
{
    private static UpstreamResolver Resolver(TimeProvider time, params IPEndPoint[] servers) =>
        new(Options.Create(new ClusterDnsOptions
        {
            Upstreams = servers.Select(s => s.ToString()).ToList(),
            UpstreamTimeoutMilliseconds = 300,
            UpstreamAttempts = 4,
        }), time, NullLogger<UpstreamResolver>.Instance);

    private static DnsMessage Query(string name, DnsType type = DnsType.A, ushort id = 99, bool edns = false) => new()
    {
        Id = id, RecursionDesired = true, Questions = [new DnsQuestion(DnsName.Parse(name), type)],
        Edns = edns ? new DnsEdns { UdpPayloadSize = 4096 } : null,
    };

    [Fact]
    public async Task Resolve_RelaysTheAnswer_WithTheClientsIdAndSpelling_ThenServesItFromCache()
    {
        await using var upstream = FakeUpstream.Start();
        var clock = new ManualClock();
        var resolver = Resolver(clock, upstream.EndPoint);

        var first = await resolver.ResolveAsync(Query("Www.Example.Test", id: 1234), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(20));
        var second = await resolver.ResolveAsync(Query("www.example.test", id: 4321), CancellationToken.None);

        Assert.Equal((1234, DnsResponseCode.NoError), (first.Id, first.ResponseCode));
        Assert.Equal("Www.Example.Test.", first.Questions[0].Name.ToString());
        Assert.Equal("192.0.2.1", ((ARecordData)Assert.Single(first.Answers).Data).Address.ToString());
        Assert.Equal(60u, first.Answers[0].Ttl);
        Assert.Equal(4321, second.Id);
        Assert.Equal(40u, Assert.Single(second.Answers).Ttl); // aged by the 20 s in cache
        Assert.Equal(1, upstream.UdpQueries);
    }

    [Fact]
    public async Task Resolve_AfterTheTtl_AsksAgain()
    {
        await using var upstream = FakeUpstream.Start();
        var clock = new ManualClock();
        var resolver = Resolver(clock, upstream.EndPoint);

        await resolver.ResolveAsync(Query("a.example.test"), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(61));
        await resolver.ResolveAsync(Query("a.example.test"), CancellationToken.None);

        Assert.Equal(2, upstream.UdpQueries);
    }

    [Fact]
    public async Task Resolve_NxDomain_CachedForTheSoaMinimum()
    {
        await using var upstream = FakeUpstream.Start();
        var clock = new ManualClock();
        var resolver = Resolver(clock, upstream.EndPoint);

        var nx = await resolver.ResolveAsync(Query("nx.example.test"), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(29));
        await resolver.ResolveAsync(Query("nx.example.test"), CancellationToken.None);
        Assert.Equal(1, upstream.UdpQueries);
        clock.Advance(TimeSpan.FromSeconds(2));
        await resolver.ResolveAsync(Query("nx.example.test"), CancellationToken.None);

        Assert.Equal(DnsResponseCode.NXDomain, nx.ResponseCode);
        Assert.Single(nx.Authorities);
        Assert.Equal(2, upstream.UdpQueries);
    }

    [Fact]
    public async Task Resolve_SilentFirstServer_NextServerAnswers()
    {
        await using var silent = FakeUpstream.Start(silent: true);
        await using var upstream = FakeUpstream.Start();
        var resolver = Resolver(TimeProvider.System, silent.EndPoint, upstream.EndPoint);

        var answer = await resolver.ResolveAsync(Query("b.example.test"), CancellationToken.None);

        Assert.Equal(DnsResponseCode.NoError, answer.ResponseCode);
        Assert.Single(answer.Answers);
        Assert.Equal(1, silent.UdpQueries);
        Assert.Equal(1, upstream.UdpQueries);
    }

    [Fact]
    public async Task Resolve_NobodyAnswers_ServFail()
    {
        await using var silent = FakeUpstream.Start(silent: true);
        var resolver = Resolver(TimeProvider.System, silent.EndPoint);

        var answer = await resolver.ResolveAsync(Query("c.example.test", id: 7), CancellationToken.None);

        Assert.Equal((7, DnsResponseCode.ServFail), (answer.Id, answer.ResponseCode));
        Assert.Equal(4, silent.UdpQueries); // every attempt went to the only server
    }

    [Fact]
    public async Task Resolve_TruncatedOverUdp_RetriedOverTcp()
    {
        await using var upstream = FakeUpstream.Start();
        var resolver = Resolver(TimeProvider.System, upstream.EndPoint);

        var answer = await resolver.ResolveAsync(Query("big.example.test", edns: true), CancellationToken.None);

        Assert.False(answer.IsTruncated);
        Assert.Equal(100, answer.Answers.Count);
        // Asked over UDP first, then over TCP (a loaded machine may time out and repeat the UDP question once).
        Assert.InRange(upstream.UdpQueries, 1, 2);
        Assert.Equal(1, upstream.TcpQueries);
    }

    [Fact]
    public async Task Servers_NeverTheClusterDnsIpOrOurOwnEndpoint()
    {
        await using var upstream = FakeUpstream.Start();
        var resolver = Resolver(TimeProvider.System, new IPEndPoint(IPAddress.Parse("10.96.0.10"), 53), new IPEndPoint(IPAddress.Parse("127.9.9.9"), 5353), upstream.EndPoint);

        resolver.SetLocalAddresses(IPAddress.Parse("10.96.0.10"), new IPEndPoint(IPAddress.Parse("127.9.9.9"), 5353));

        Assert.Equal([upstream.EndPoint], resolver.Servers);
    }

    [Fact]
    public async Task Resolve_NoServers_ServFail()
    {
        var resolver = Resolver(TimeProvider.System, new IPEndPoint(IPAddress.Parse("10.96.0.10"), 53));
        resolver.SetLocalAddresses(IPAddress.Parse("10.96.0.10"), null);

        var answer = await resolver.ResolveAsync(Query("d.example.test"), CancellationToken.None);

        Assert.Equal(DnsResponseCode.ServFail, answer.ResponseCode);
    }

    [Fact]
    public void ResolvConf_OnlyLoopbackStub_UsesSystemdResolvedsRealList()
    {
        var dir = Directory.CreateTempSubdirectory("dns-resolvconf-");
        try
        {
            var main = Path.Combine(dir.FullName, "resolv.conf");
            var real = Path.Combine(dir.FullName, "systemd.conf");
            File.WriteAllText(main, "# stub\nnameserver 127.0.0.53\noptions edns0 trust-ad\nsearch lan\n");
            File.WriteAllText(real, "nameserver 192.168.1.1\nnameserver   fd00::1\nnameserver bogus\n");

            Assert.Equal(["192.168.1.1:53", "[fd00::1]:53"], ResolvConf.Load(main, real).Select(e => e.ToString()));
            Assert.Equal(["127.0.0.53:53"], ResolvConf.Load(main, Path.Combine(dir.FullName, "missing")).Select(e => e.ToString()));

            File.WriteAllText(main, "nameserver 127.0.0.53\nnameserver 10.255.255.53\n");
            Assert.Equal(["127.0.0.53:53", "10.255.255.53:53"], ResolvConf.Load(main, real).Select(e => e.ToString()));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("1.1.1.1", "1.1.1.1:53")]
    [InlineData("127.0.0.5:5353", "127.0.0.5:5353")]
    [InlineData("[fd00::1]:54", "[fd00::1]:54")]
    [InlineData("fd00::1", "[fd00::1]:53")]
    public void TryParseServer_AddressWithOptionalPort(string text, string expected)
    {
        Assert.True(ResolvConf.TryParseServer(text, out var endpoint));
        Assert.Equal(expected, endpoint.ToString());
    }
}
