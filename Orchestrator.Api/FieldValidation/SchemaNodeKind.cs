namespace Orchestrator.Api.FieldValidation;

/// <summary>How a value is checked for unknown fields.</summary>
internal enum SchemaNodeKind
{
    /// <summary>A scalar or scalar-like value (string, number, Quantity, IntOrString, Time): nothing inside to check.</summary>
    Leaf,

    /// <summary>Free-form content (preserve-unknown-fields, RawExtension, FieldsV1, object without properties): any key is accepted.</summary>
    Open,

    /// <summary>An object with a fixed set of properties; any other key is an unknown field.</summary>
    Object,

    /// <summary>A list whose items are checked against one schema.</summary>
    Array,

    /// <summary>A map (additionalProperties): keys are data, values are checked against one schema.</summary>
    Map,
}
