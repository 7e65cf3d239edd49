using Orchestrator.Api.FieldValidation;
using Orchestrator.Core.Errors;

namespace Orchestrator.Tests.Api.FieldValidation;

public class FieldValidationModesTests
{
    [Theory]
    [InlineData("Ignore", FieldValidationMode.Ignore)]
    [InlineData("Warn", FieldValidationMode.Warn)]
    [InlineData("Strict", FieldValidationMode.Strict)]
    [InlineData("", FieldValidationMode.Warn)]
    [InlineData(null, FieldValidationMode.Warn)]
    public void Parses_the_query_value(string? value, FieldValidationMode expected) =>
        Assert.Equal(expected, FieldValidationModes.Parse(value));

    [Theory]
    [InlineData("strict")]
    [InlineData("Error")]
    [InlineData("true")]
    public void Other_values_are_a_bad_request(string value)
    {
        var e = Assert.Throws<ApiException>(() => FieldValidationModes.Parse(value));
        Assert.Equal(400, e.Code);
        Assert.Equal("BadRequest", e.Reason);
        Assert.Equal("fieldValidation must be one of: Ignore, Warn, Strict", e.Message);
    }
}
