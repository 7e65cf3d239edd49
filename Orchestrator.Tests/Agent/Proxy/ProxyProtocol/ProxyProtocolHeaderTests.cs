using System.Net;
using System.Text;
using Orchestrator.Agent.Proxy.ProxyProtocol;

namespace Orchestrator.Tests.Agent.Proxy.ProxyProtocol;

public sealed class ProxyProtocolHeaderTests
{
    private static readonly byte[] Signature = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    private static IPEndPoint Ep(string address, int port) => new(IPAddress.Parse(address), port);

    [Theory]
    [InlineData("192.168.0.1", 56324, "192.168.0.11", 443, "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n")]
    [InlineData("255.255.255.255", 65535, "255.255.255.255", 65535, "PROXY TCP4 255.255.255.255 255.255.255.255 65535 65535\r\n")]
    [InlineData("2001:db8::1", 40000, "2001:db8::2", 80, "PROXY TCP6 2001:db8::1 2001:db8::2 40000 80\r\n")]
    [InlineData("::ffff:10.0.0.5", 1234, "::ffff:10.96.0.20", 80, "PROXY TCP4 10.0.0.5 10.96.0.20 1234 80\r\n")]
    [InlineData("10.0.0.5", 1234, "2001:db8::2", 80, "PROXY TCP6 ::ffff:10.0.0.5 2001:db8::2 1234 80\r\n")]
    public void WriteV1_Endpoints_WritesTheSpecLine(string src, int sport, string dst, int dport, string expected)
    {
        var bytes = ProxyProtocolHeader.Create(ProxyProtocolVersion.V1, Ep(src, sport), Ep(dst, dport));
        Assert.Equal(expected, Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void WriteV1_LongestIpv6Line_FitsTheSpecMaximum()
    {
        const string full = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        var bytes = ProxyProtocolHeader.Create(ProxyProtocolVersion.V1, Ep(full, 65535), Ep(full, 65535));
        Assert.Equal(104, bytes.Length);
        Assert.True(bytes.Length <= ProxyProtocolHeader.V1MaxLength);
    }

    [Fact]
    public void WriteV2_Ipv4_WritesSignatureCommandFamilyAndAddresses()
    {
        var bytes = ProxyProtocolHeader.Create(ProxyProtocolVersion.V2, Ep("192.168.0.1", 56324), Ep("192.168.0.11", 443));
        byte[] expected =
        [
            .. Signature, 0x21, 0x11, 0x00, 0x0C,
            192, 168, 0, 1, 192, 168, 0, 11,
            0xDC, 0x04, // 56324
            0x01, 0xBB, // 443
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void WriteV2_Ipv6_Writes52Bytes()
    {
        var bytes = ProxyProtocolHeader.Create(ProxyProtocolVersion.V2, Ep("2001:db8::1", 1), Ep("2001:db8::2", 2));
        Assert.Equal(52, bytes.Length);
        Assert.Equal(0x21, bytes[12]);
        Assert.Equal(0x21, bytes[13]);
        Assert.Equal(new byte[] { 0x00, 0x24 }, bytes[14..16]);
        Assert.Equal(IPAddress.Parse("2001:db8::1").GetAddressBytes(), bytes[16..32]);
        Assert.Equal(IPAddress.Parse("2001:db8::2").GetAddressBytes(), bytes[32..48]);
        Assert.Equal(new byte[] { 0, 1, 0, 2 }, bytes[48..52]);
    }

    [Fact]
    public void WriteV2Local_WritesLocalCommandWithNoAddresses()
    {
        var buffer = new byte[16];
        Assert.Equal(16, ProxyProtocolHeader.WriteV2Local(buffer));
        Assert.Equal([.. Signature, 0x20, 0x00, 0x00, 0x00], buffer);
        Assert.Equal(ProxyProtocolParseStatus.Complete, ProxyProtocolHeader.TryParse(buffer, out var info));
        Assert.True(info!.IsLocal);
        Assert.Null(info.Source);
    }

    [Fact]
    public void WriteV1_SpanTooSmall_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            ProxyProtocolHeader.WriteV1(Ep("10.0.0.1", 1), Ep("10.0.0.2", 2), new byte[10]));
    }

    [Theory]
    [InlineData(ProxyProtocolVersion.V1, "10.1.2.3", 40001, "10.96.0.1", 80)]
    [InlineData(ProxyProtocolVersion.V2, "10.1.2.3", 40001, "10.96.0.1", 80)]
    [InlineData(ProxyProtocolVersion.V1, "fd00::5", 0, "fd00::6", 65535)]
    [InlineData(ProxyProtocolVersion.V2, "fd00::5", 0, "fd00::6", 65535)]
    public void TryParse_WhatTheWriterWrote_RoundTrips(ProxyProtocolVersion version, string src, int sport, string dst, int dport)
    {
        var header = ProxyProtocolHeader.Create(version, Ep(src, sport), Ep(dst, dport));
        byte[] stream = [.. header, .. "GET / HTTP/1.1\r\n"u8];

        Assert.Equal(ProxyProtocolParseStatus.Complete, ProxyProtocolHeader.TryParse(stream, out var info));
        Assert.Equal(version, info!.Version);
        Assert.False(info.IsLocal);
        Assert.Equal(Ep(src, sport), info.Source);
        Assert.Equal(Ep(dst, dport), info.Destination);
        Assert.Equal(header.Length, info.Length);
    }

    [Theory]
    [InlineData(ProxyProtocolVersion.V1)]
    [InlineData(ProxyProtocolVersion.V2)]
    public void TryParse_EveryProperPrefix_NeedsMoreData(ProxyProtocolVersion version)
    {
        var header = ProxyProtocolHeader.Create(version, Ep("172.16.5.9", 5353), Ep("10.96.0.10", 53));
        for (var n = 0; n < header.Length; n++)
            Assert.Equal(ProxyProtocolParseStatus.NeedMoreData, ProxyProtocolHeader.TryParse(header.AsSpan(0, n), out _));
    }

    [Fact]
    public void TryParse_V1Unknown_CompletesWithoutAddresses()
    {
        var data = "PROXY UNKNOWN ffff::1 ffff::2 1 2\r\nrest"u8.ToArray();
        Assert.Equal(ProxyProtocolParseStatus.Complete, ProxyProtocolHeader.TryParse(data, out var info));
        Assert.Null(info!.Source);
        Assert.Equal(data.Length - 4, info.Length);
        Assert.Equal(ProxyProtocolParseStatus.Complete, ProxyProtocolHeader.TryParse("PROXY UNKNOWN\r\n"u8, out info));
        Assert.Equal(15, info!.Length);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")] // not a PROXY header at all
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\n")] // LF without CR
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 56324\r\n")] // a field missing
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443 7\r\n")] // a field too many
    [InlineData("PROXY TCP4  192.168.0.1 192.168.0.11 56324 443\r\n")] // double space
    [InlineData("PROXY TCP5 192.168.0.1 192.168.0.11 56324 443\r\n")] // unknown protocol
    [InlineData("PROXY TCP4 2001:db8::1 192.168.0.11 56324 443\r\n")] // IPv6 under TCP4
    [InlineData("PROXY TCP6 192.168.0.1 192.168.0.11 56324 443\r\n")] // IPv4 under TCP6
    [InlineData("PROXY TCP4 192.168.0.256 192.168.0.11 56324 443\r\n")] // octet out of range
    [InlineData("PROXY TCP4 192.168.0 192.168.0.11 56324 443\r\n")] // three octets
    [InlineData("PROXY TCP4 1 192.168.0.11 56324 443\r\n")] // IPAddress.Parse would accept this
    [InlineData("PROXY TCP4 010.0.0.1 192.168.0.11 56324 443\r\n")] // leading zero
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 65536 443\r\n")] // port out of range
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 -1 443\r\n")] // signed port
    [InlineData("PROXY TCP4 192.168.0.1 192.168.0.11 0443 443\r\n")] // port with leading zero
    [InlineData("PROXY TCP6 fe80::1%eth0 fe80::2 1 2\r\n")] // zone
    [InlineData("proxy TCP4 192.168.0.1 192.168.0.11 56324 443\r\n")] // lower case
    [InlineData("PROXY TCP4 192.168.0.1\t192.168.0.11 56324 443\r\n")] // control character
    public void TryParse_MalformedV1_IsInvalid(string text)
    {
        Assert.Equal(ProxyProtocolParseStatus.Invalid, ProxyProtocolHeader.TryParse(Encoding.ASCII.GetBytes(text), out var info));
        Assert.Null(info);
    }

    [Fact]
    public void TryParse_V1WithoutCrlfWithin107Bytes_IsInvalid()
    {
        var data = Encoding.ASCII.GetBytes("PROXY TCP6 " + new string('f', 200));
        Assert.Equal(ProxyProtocolParseStatus.Invalid, ProxyProtocolHeader.TryParse(data, out _));
        Assert.Equal(ProxyProtocolParseStatus.NeedMoreData, ProxyProtocolHeader.TryParse(data.AsSpan(0, 106), out _));
    }

    [Fact]
    public void TryParse_V2WithTlvs_SkipsThemInLength()
    {
        byte[] data =
        [
            .. Signature, 0x21, 0x11, 0x00, 0x0C + 7,
            10, 0, 0, 1, 10, 96, 0, 1, 0x30, 0x39, 0x00, 0x50,
            0x04, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04, // a TLV (NOOP, 4 bytes)
            (byte)'x',
        ];
        Assert.Equal(ProxyProtocolParseStatus.Complete, ProxyProtocolHeader.TryParse(data, out var info));
        Assert.Equal(data.Length - 1, info!.Length);
        Assert.Equal(Ep("10.0.0.1", 12345), info.Source);
        Assert.Equal(Ep("10.96.0.1", 80), info.Destination);
    }

    [Fact]
    public void TryParse_V2UnixAndUnspec_CompleteWithoutAddresses()
    {
        byte[] unix = [.. Signature, 0x21, 0x31, 0x00, 0xD8, .. new byte[216]];
        Assert.Equal(ProxyProtocolParseStatus.Complete, ProxyProtocolHeader.TryParse(unix, out var info));
        Assert.Null(info!.Source);
        Assert.Equal(232, info.Length);

        byte[] unspec = [.. Signature, 0x21, 0x00, 0x00, 0x00];
        Assert.Equal(ProxyProtocolParseStatus.Complete, ProxyProtocolHeader.TryParse(unspec, out info));
        Assert.Null(info!.Source);
        Assert.False(info.IsLocal);
    }

    [Theory]
    [InlineData(0x11, 0x11, 12)] // version 1 in the binary form
    [InlineData(0x31, 0x11, 12)] // version 3
    [InlineData(0x22, 0x11, 12)] // command 2
    [InlineData(0x21, 0x41, 12)] // family 4
    [InlineData(0x21, 0x13, 12)] // transport 3
    [InlineData(0x21, 0x11, 11)] // IPv4 block too short
    [InlineData(0x21, 0x21, 12)] // IPv6 block too short
    [InlineData(0x21, 0x31, 12)] // UNIX block too short
    public void TryParse_MalformedV2_IsInvalid(byte versionCommand, byte familyTransport, byte length)
    {
        byte[] data = [.. Signature, versionCommand, familyTransport, 0x00, length, .. new byte[length]];
        Assert.Equal(ProxyProtocolParseStatus.Invalid, ProxyProtocolHeader.TryParse(data, out _));
    }

    [Fact]
    public void TryParse_BrokenV2Signature_IsInvalid()
    {
        byte[] data = [.. Signature, 0x21, 0x11, 0x00, 0x0C, .. new byte[12]];
        data[6] = 0x0B;
        Assert.Equal(ProxyProtocolParseStatus.Invalid, ProxyProtocolHeader.TryParse(data, out _));
    }

    [Fact]
    public void TryParse_V2DeclaringMoreThanSent_NeedsMoreData()
    {
        byte[] data = [.. Signature, 0x21, 0x11, 0x01, 0x00, .. new byte[100]];
        Assert.Equal(ProxyProtocolParseStatus.NeedMoreData, ProxyProtocolHeader.TryParse(data, out _));
    }
}
