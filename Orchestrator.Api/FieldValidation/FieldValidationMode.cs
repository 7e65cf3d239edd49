namespace Orchestrator.Api.FieldValidation;

/// <summary>What the server does with unknown fields in a create/update/patch body (query parameter <c>fieldValidation</c>).</summary>
public enum FieldValidationMode
{
    /// <summary>Drop unknown fields silently (<c>kubectl --validate=false</c>).</summary>
    Ignore,

    /// <summary>Accept the request and add one <c>Warning</c> header per unknown field (<c>--validate=warn</c>); upstream's default.</summary>
    Warn,

    /// <summary>Reject the request with 400 BadRequest listing the unknown fields (<c>--validate=strict</c>, kubectl's default).</summary>
    Strict,
}
