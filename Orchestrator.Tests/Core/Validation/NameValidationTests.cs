using Orchestrator.Core.Validation;

namespace Orchestrator.Tests.Core.Validation;

public class NameValidationTests
{
    private const string LabelMsg =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private const string SubdomainMsg =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string Dns1035Msg =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    [Theory]
    [InlineData("a", true)]
    [InlineData("my-name", true)]
    [InlineData("123-abc", true)]
    [InlineData("-a", false)]
    [InlineData("a-", false)]
    [InlineData("A", false)]
    [InlineData("a.b", false)]
    [InlineData("", false)]
    public void IsDns1123Label_Cases(string value, bool valid)
    {
        var errors = NameValidation.IsDns1123Label(value);
        Assert.Equal(valid, errors.Count == 0);
        if (!valid) Assert.Contains(LabelMsg, errors);
    }

    [Fact]
    public void IsDns1123Label_TooLong_ReportsLength()
    {
        var errors = NameValidation.IsDns1123Label(new string('a', 64));
        Assert.Equal(["must be no more than 63 characters"], errors);
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("a", true)]
    [InlineData("a..b", false)]
    [InlineData(".a", false)]
    [InlineData("Example.com", false)]
    [InlineData("a_b", false)]
    public void IsDns1123Subdomain_Cases(string value, bool valid)
    {
        var errors = NameValidation.IsDns1123Subdomain(value);
        Assert.Equal(valid, errors.Count == 0);
        if (!valid) Assert.Equal([SubdomainMsg], errors);
    }

    [Fact]
    public void IsDns1123Subdomain_254Chars_TooLong()
    {
        var value = string.Join('.', Enumerable.Repeat(new string('a', 50), 5));
        Assert.Equal(254, value.Length);
        Assert.Contains("must be no more than 253 characters", NameValidation.IsDns1123Subdomain(value));
    }

    [Theory]
    [InlineData("my-svc", true)]
    [InlineData("abc-123", true)]
    [InlineData("1abc", false)]
    [InlineData("abc-", false)]
    [InlineData("my.svc", false)]
    public void IsDns1035Label_Cases(string value, bool valid)
    {
        var errors = NameValidation.IsDns1035Label(value);
        Assert.Equal(valid, errors.Count == 0);
        if (!valid) Assert.Equal([Dns1035Msg], errors);
    }

    [Theory]
    [InlineData("app", 0)]
    [InlineData("MyName", 0)]
    [InlineData("my.name", 0)]
    [InlineData("example.com/my-key_1", 0)]
    [InlineData("kubernetes.io/hostname", 0)]
    [InlineData("/name", 1)]
    [InlineData("Example.com/name", 1)]
    [InlineData("a/b/c", 1)]
    [InlineData("-bad", 1)]
    [InlineData("example.com/", 2)]
    public void IsQualifiedName_Cases(string value, int errorCount)
    {
        Assert.Equal(errorCount, NameValidation.IsQualifiedName(value).Count);
    }

    [Fact]
    public void IsQualifiedName_Messages_NamePartAndPrefixPart()
    {
        Assert.StartsWith("prefix part must be non-empty", NameValidation.IsQualifiedName("/name")[0]);
        Assert.Equal("name part must be no more than 63 characters", NameValidation.IsQualifiedName(new string('a', 64))[0]);
        Assert.StartsWith("name part must consist of alphanumeric characters, '-', '_' or '.'", NameValidation.IsQualifiedName("-bad")[0]);
        Assert.StartsWith("prefix part a lowercase RFC 1123 subdomain", NameValidation.IsQualifiedName("Bad/name")[0]);
        Assert.EndsWith("with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')", NameValidation.IsQualifiedName("a/b/c")[0]);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("MyValue", true)]
    [InlineData("my_value", true)]
    [InlineData("12345", true)]
    [InlineData("-x", false)]
    [InlineData("a b", false)]
    public void IsValidLabelValue_Cases(string value, bool valid)
    {
        var errors = NameValidation.IsValidLabelValue(value);
        Assert.Equal(valid, errors.Count == 0);
        if (!valid)
            Assert.Equal(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                errors[0]);
    }

    [Fact]
    public void IsValidLabelValue_64Chars_TooLong()
    {
        Assert.Equal(["must be no more than 63 characters"], NameValidation.IsValidLabelValue(new string('a', 64)));
    }
}
