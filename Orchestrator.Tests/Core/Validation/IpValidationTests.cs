using Orchestrator.Core.Validation;

namespace Orchestrator.Tests.Core.Validation;

public class IpValidationTests
{
    [Theory]
    [InlineData("10.9.8.7", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("255.255.255.255", true)]
    [InlineData("2001:db8::ffff", true)]
    [InlineData("::1", true)]
    [InlineData("10", false)]
    [InlineData("10.1", false)]
    [InlineData("10.1.1.256", false)]
    [InlineData("010.1.1.1", false)]
    [InlineData("1.2.3.4.5", false)]
    [InlineData("fe80::1%eth0", false)]
    [InlineData("", false)]
    [InlineData("abc", false)]
    public void IsValidIp_Cases(string value, bool valid)
    {
        var errors = IpValidation.IsValidIp(value);
        Assert.Equal(valid, errors.Count == 0);
        if (!valid) Assert.Equal(["must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"], errors);
    }

    [Theory]
    [InlineData("10.1.2.3", true, false)]
    [InlineData("2001:db8::1", false, true)]
    public void IsValidIpv4AndV6_ByFamily(string value, bool v4, bool v6)
    {
        Assert.Equal(v4, IpValidation.IsValidIpv4(value).Count == 0);
        Assert.Equal(v6, IpValidation.IsValidIpv6(value).Count == 0);
    }

    [Theory]
    [InlineData("10.96.0.0/12", true)]
    [InlineData("10.9.8.0/24", true)]
    [InlineData("0.0.0.0/0", true)]
    [InlineData("2001:db8::/64", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("10.0.0.0", false)]
    [InlineData("10.0.0.0/", false)]
    [InlineData("10.0.0/8", false)]
    [InlineData("2001:db8::/129", false)]
    public void IsValidCidr_Cases(string value, bool valid)
    {
        var errors = IpValidation.IsValidCidr(value);
        Assert.Equal(valid, errors.Count == 0);
        if (!valid) Assert.Equal(["must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"], errors);
    }

    [Theory]
    [InlineData("192.168.1.10", null)]
    [InlineData("0.0.0.0", "may not be unspecified (0.0.0.0, ::)")]
    [InlineData("127.0.0.1", "may not be in the loopback range (127.0.0.0/8, ::1/128)")]
    [InlineData("169.254.1.1", "may not be in the link-local range (169.254.0.0/16, fe80::/10)")]
    [InlineData("224.0.0.5", "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")]
    public void IsNonSpecialIp_Cases(string value, string? expected)
    {
        var errors = IpValidation.IsNonSpecialIp(value);
        if (expected is null) Assert.Empty(errors);
        else Assert.Equal([expected], errors);
    }
}
