using Orchestrator.Core.Validation;

namespace Orchestrator.Tests.Core.Validation;

public class PortValidationTests
{
    [Theory]
    [InlineData("http", null)]
    [InlineData("h2c", null)]
    [InlineData("dns-tcp", null)]
    [InlineData("abcdefghijklmno", null)]
    [InlineData("abcdefghijklmnop", "must be no more than 15 characters")]
    [InlineData("123_abc", "must contain only alphanumeric characters (a-z, 0-9), and hyphens (-)")]
    [InlineData("HTTP", "must contain only alphanumeric characters (a-z, 0-9), and hyphens (-)")]
    [InlineData("1234", "must contain at least one letter (a-z)")]
    [InlineData("a--b", "must not contain consecutive hyphens")]
    [InlineData("-ab", "must not begin or end with a hyphen")]
    [InlineData("ab-", "must not begin or end with a hyphen")]
    public void IsValidPortName_Cases(string name, string? expected)
    {
        var errors = PortValidation.IsValidPortName(name);
        if (expected is null) Assert.Empty(errors);
        else Assert.Contains(expected, errors);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(80, true)]
    [InlineData(65535, true)]
    [InlineData(0, false)]
    [InlineData(65536, false)]
    [InlineData(-1, false)]
    public void IsValidPortNum_Cases(long port, bool valid)
    {
        var errors = PortValidation.IsValidPortNum(port);
        Assert.Equal(valid, errors.Count == 0);
        if (!valid) Assert.Equal(["must be between 1 and 65535, inclusive"], errors);
    }
}
