namespace Orchestrator.Tests.Agent.Dns;

/// <summary>
/// Our codec judged by BIND's dig: every record type parses without a malformed-message warning, over UDP and TCP,
/// with and without EDNS, and a truncated UDP answer makes dig retry over TCP and get everything.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class DnsDigEndToEndTests : IAsyncLifetime
{
    private DnsTestServer _server = null!;

    public Task InitializeAsync()
    {
        _server = DnsTestServer.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string, string, string[]> Queries()
    {
        var data = new TheoryData<string, string, string, string[]>();
        foreach (var variant in new[] { "+edns", "+tcp", "+noedns", "+bufsize=4096" })
        {
            data.Add(variant, "a.test", "A", ["a.test. A 10.96.0.1"]);
            data.Add(variant, "A.TEST", "AAAA", ["A.TEST. AAAA fd00::1"]);
            data.Add(variant, "alias.test", "A", ["alias.test. CNAME a.test.", "a.test. A 10.96.0.1"]);
            data.Add(variant, "_http._tcp.web.test", "SRV", ["_http._tcp.web.test. SRV 0 100 80 web-0.web.test.", "_http._tcp.web.test. SRV 10 50 8080 web-1.web.test."]);
            data.Add(variant, "txt.test", "TXT", ["txt.test. TXT \"v=1\" \"hello world\" \"quote\\\"d\""]);
            data.Add(variant, "1.0.96.10.in-addr.arpa", "PTR", ["1.0.96.10.in-addr.arpa. PTR a.test."]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task Dig_ParsesEveryRecordType(string variant, string name, string type, string[] expected)
    {
        var result = await Dig.RunAsync(_server.Port, variant, name, type);

        Assert.False(result.Malformed, result.Output);
        Assert.Equal("NOERROR", result.Status);
        Assert.Contains("aa", result.Flags);
        Assert.DoesNotContain("tc", result.Flags);
        Assert.Equal(expected, result.Answers.Select(a => $"{a.Name} {a.Type} {a.Data}"));
        Assert.All(result.Answers, a => Assert.Equal((5, "IN"), (a.Ttl, a.Class)));
        Assert.Equal(variant != "+noedns", result.HasOpt);
    }

    [Theory]
    [InlineData("+noedns")]
    [InlineData("+tcp")]
    public async Task Dig_CutRecord_IsReportedMalformed(string variant)
    {
        // Proves the Malformed check above can fail: the same server, one record cut short on purpose.
        var result = await Dig.RunUncheckedAsync(_server.Port, variant, "broken.test", "A");
        Assert.True(result.Malformed, result.Output);
    }

    [Fact]
    public async Task Dig_ReverseShortcut_FindsPtr()
    {
        var result = await Dig.RunAsync(_server.Port, "-x", "10.96.0.1");
        Assert.False(result.Malformed, result.Output);
        Assert.Equal("a.test.", Assert.Single(result.Answers).Data);
    }

    [Fact]
    public async Task Dig_SrvGlue_InAdditional()
    {
        var result = await Dig.RunAsync(_server.Port, "_http._tcp.web.test", "SRV");
        Assert.Contains("web-0.web.test.\t\t5\tIN\tA\t10.244.0.10", result.Output);
        Assert.Contains("web-1.web.test.\t\t5\tIN\tA\t10.244.1.11", result.Output);
    }

    [Theory]
    [InlineData("nope.test", "A", "NXDOMAIN")]
    [InlineData("deeper.nope.test", "TXT", "NXDOMAIN")]
    [InlineData("txt.test", "A", "NOERROR")] // NODATA: the name exists, the type does not
    public async Task Dig_NegativeAnswers_CarrySoa(string name, string type, string status)
    {
        var result = await Dig.RunAsync(_server.Port, name, type);
        Assert.False(result.Malformed, result.Output);
        Assert.Equal(status, result.Status);
        Assert.Empty(result.Answers);
        var soa = Assert.Single(result.Authority);
        Assert.Equal(("test.", "SOA", "ns.test. hostmaster.test. 1 7200 1800 86400 5"), (soa.Name, soa.Type, soa.Data));
    }

    [Theory]
    [InlineData("+edns")]   // dig's default 1232-octet buffer: 100 A records (≈1.6 kB) do not fit
    [InlineData("+noedns")] // 512 octets
    public async Task Dig_TruncatedUdp_RetriesOverTcpAndGetsEverything(string variant)
    {
        var result = await Dig.RunAsync(_server.Port, variant, "big.test", "A");

        Assert.True(result.RetriedOverTcp, result.Output);
        Assert.False(result.Malformed, result.Output);
        Assert.Equal(DnsTestServer.BigAnswerCount, result.AnswerCount);
        Assert.Equal(DnsTestServer.BigAnswerCount, result.Answers.Count);
        Assert.DoesNotContain("tc", result.Flags);
        Assert.True(_server.UdpQueries >= 1 && _server.TcpQueries >= 1, $"udp {_server.UdpQueries}, tcp {_server.TcpQueries}");
    }

    [Theory]
    [InlineData("+noedns", (512 - 12 - 14) / 16)]    // header, question "big.test" A, 16-octet compressed A records
    [InlineData("+edns", (1232 - 12 - 14 - 11) / 16)] // the same inside dig's 1232-octet buffer, minus our 11-octet OPT
    public async Task Dig_IgnoreTc_SeesTruncatedAnswerEndingOnARecordBoundary(string variant, int expected)
    {
        var result = await Dig.RunAsync(_server.Port, variant, "+ignore", "big.test", "A");

        Assert.False(result.RetriedOverTcp);
        Assert.False(result.Malformed, result.Output);
        Assert.Contains("tc", result.Flags);
        Assert.Equal(expected, result.Answers.Count);
        Assert.Equal(0, _server.TcpQueries);
    }

    [Fact]
    public async Task Dig_LargeBuffer_GetsEverythingOverUdp()
    {
        var result = await Dig.RunAsync(_server.Port, "+bufsize=4096", "big.test", "A");

        Assert.False(result.RetriedOverTcp);
        Assert.False(result.Malformed, result.Output);
        Assert.DoesNotContain("tc", result.Flags);
        Assert.Equal(DnsTestServer.BigAnswerCount, result.Answers.Count);
        Assert.Equal(0, _server.TcpQueries);
    }

    [Fact]
    public async Task Dig_Tcp_ManyRecords()
    {
        var result = await Dig.RunAsync(_server.Port, "+tcp", "big.test", "A");
        Assert.False(result.Malformed, result.Output);
        Assert.Equal(DnsTestServer.BigAnswerCount, result.Answers.Count);
        Assert.Equal(0, _server.UdpQueries);
    }
}
