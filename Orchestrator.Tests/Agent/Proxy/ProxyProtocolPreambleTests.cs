using System.Net;
using System.Text;
using Orchestrator.Agent.Proxy.Tcp;

namespace Orchestrator.Tests.Agent.Proxy;

public sealed class ProxyProtocolPreambleTests
{
    [Fact]
    public void V1_Ipv4()
    {
        var bytes = ProxyProtocolPreamble.V1(IPEndPoint.Parse("192.168.1.7:51234"), IPEndPoint.Parse("10.96.0.20:80"));
        Assert.Equal("PROXY TCP4 192.168.1.7 10.96.0.20 51234 80\r\n", Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void V1_MappedAddressesAreWrittenAsIpv4()
    {
        var bytes = ProxyProtocolPreamble.V1(new IPEndPoint(IPAddress.Parse("192.168.1.7").MapToIPv6(), 1), IPEndPoint.Parse("10.96.0.20:80"));
        Assert.Equal("PROXY TCP4 192.168.1.7 10.96.0.20 1 80\r\n", Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void V2_Ipv4_HeaderLayout()
    {
        var bytes = ProxyProtocolPreamble.V2(IPEndPoint.Parse("192.168.1.7:51234"), IPEndPoint.Parse("10.96.0.20:80"));
        Assert.Equal(
            [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 0x0C,
             192, 168, 1, 7, 10, 96, 0, 20, 0xC8, 0x22, 0x00, 0x50],
            bytes);
    }

    [Fact]
    public void V2_Ipv6_Length36()
    {
        var bytes = ProxyProtocolPreamble.V2(IPEndPoint.Parse("[fd00::1]:1"), IPEndPoint.Parse("[fd00::2]:2"));
        Assert.Equal(0x21, bytes[13]);
        Assert.Equal(36, (bytes[14] << 8) | bytes[15]);
        Assert.Equal(16 + 36, bytes.Length);
    }
}
