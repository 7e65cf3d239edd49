using Orchestrator.Core.Errors;

namespace Orchestrator.Api.FieldValidation;

/// <summary>Parsing of the <c>fieldValidation</c> query parameter.</summary>
public static class FieldValidationModes
{
    public const string QueryParameter = "fieldValidation";

    /// <summary>
    /// The mode named by the query value. Absent or empty means <see cref="FieldValidationMode.Warn"/>, as upstream
    /// (kubectl always sends the parameter, so this only matters for other clients). Values are case-sensitive, as
    /// upstream: "strict" is rejected.
    /// </summary>
    /// <exception cref="ApiException">400 BadRequest for any other value.</exception>
    public static FieldValidationMode Parse(string? value) => value switch
    {
        null or "" => FieldValidationMode.Warn,
        "Ignore" => FieldValidationMode.Ignore,
        "Warn" => FieldValidationMode.Warn,
        "Strict" => FieldValidationMode.Strict,
        _ => throw ApiException.BadRequest("fieldValidation must be one of: Ignore, Warn, Strict"),
    };
}
