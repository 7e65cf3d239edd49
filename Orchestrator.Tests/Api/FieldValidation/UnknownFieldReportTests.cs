using Orchestrator.Api.FieldValidation;
using Orchestrator.Core.Errors;

namespace Orchestrator.Tests.Api.FieldValidation;

public class UnknownFieldReportTests
{
    [Fact]
    public void Strict_error_has_upstream_wording_and_status_shape()
    {
        var e = UnknownFieldReport.StrictError(["spec.replica"]);
        Assert.Equal(400, e.Code);
        Assert.Equal("strict decoding error: unknown field \"spec.replica\"", e.Message);
        var status = e.ToStatus();
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("BadRequest", status["reason"]!.GetValue<string>());
        Assert.Equal(400, status["code"]!.GetValue<int>());
    }

    [Fact]
    public void Strict_error_lists_every_field()
    {
        var e = UnknownFieldReport.StrictError(["spec.a", "spec.b"]);
        Assert.Equal("strict decoding error: unknown field \"spec.a\", unknown field \"spec.b\"", e.Message);
    }

    [Fact]
    public void Warning_header_values_quote_and_escape_the_text()
    {
        Assert.Equal(
            ["299 - \"unknown field \\\"spec.replica\\\"\"", "299 - \"unknown field \\\"spec.template.spec.containers[0].imagee\\\"\""],
            UnknownFieldReport.WarningHeaderValues(["spec.replica", "spec.template.spec.containers[0].imagee"]));
    }

    [Fact]
    public void Warning_header_value_keeps_headers_ascii()
    {
        Assert.Equal("299 - \"unknown field \\\"sp\\u00e9c\\\\x\\\"\"", UnknownFieldReport.WarningHeaderValue("unknown field \"sp\u00e9c\\x\""));
        Assert.Equal("299 - \"a\\u000ab\"", UnknownFieldReport.WarningHeaderValue("a\nb"));
    }

    [Fact]
    public void Enforce_applies_the_mode()
    {
        Assert.Empty(UnknownFieldReport.Enforce(FieldValidationMode.Ignore, ["x"]));
        Assert.Empty(UnknownFieldReport.Enforce(FieldValidationMode.Strict, []));
        Assert.Equal(["299 - \"unknown field \\\"x\\\"\""], UnknownFieldReport.Enforce(FieldValidationMode.Warn, ["x"]));
        var e = Assert.Throws<ApiException>(() => UnknownFieldReport.Enforce(FieldValidationMode.Strict, ["x", "y"]));
        Assert.Equal("strict decoding error: unknown field \"x\", unknown field \"y\"", e.Message);
    }
}
