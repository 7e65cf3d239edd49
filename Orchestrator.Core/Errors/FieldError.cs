using System.Text.Json;

namespace Orchestrator.Core.Errors;

/// <summary>The kinds of field error Kubernetes reports, with the cause reason each maps to.</summary>
public enum FieldErrorType
{
    Invalid,
    Required,
    Duplicate,
    NotSupported,
    Forbidden,
    TooLong,
    TooMany,
    NotFound,
}

/// <summary>
/// One invalid field, worded as the Kubernetes apiserver words it, so that kubectl prints
/// e.g. <c>spec.ports[0].name: Invalid value: "123_abc": a DNS-1123 label must ...</c>.
/// </summary>
public sealed record FieldError(FieldErrorType Type, string Field, object? Value, string Detail)
{
    public static FieldError Invalid(string field, object? value, string detail) => new(FieldErrorType.Invalid, field, value, detail);
    public static FieldError Required(string field, string detail = "") => new(FieldErrorType.Required, field, null, detail);
    public static FieldError Duplicate(string field, object? value) => new(FieldErrorType.Duplicate, field, value, "");
    public static FieldError Forbidden(string field, string detail) => new(FieldErrorType.Forbidden, field, null, detail);
    public static FieldError NotFound(string field, object? value) => new(FieldErrorType.NotFound, field, value, "");

    public static FieldError NotSupported(string field, object? value, IEnumerable<string> supported) =>
        new(FieldErrorType.NotSupported, field, value,
            "supported values: " + string.Join(", ", supported.Select(s => $"\"{s}\"")));

    public string Reason => Type switch
    {
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.NotFound => "FieldValueNotFound",
        _ => "FieldValueInvalid",
    };

    /// <summary>The message without the field path, as in <c>details.causes[].message</c>.</summary>
    public string Body
    {
        get
        {
            var head = Type switch
            {
                FieldErrorType.Invalid => $"Invalid value: {Render(Value)}",
                FieldErrorType.Required => "Required value",
                FieldErrorType.Duplicate => $"Duplicate value: {Render(Value)}",
                FieldErrorType.NotSupported => $"Unsupported value: {Render(Value)}",
                FieldErrorType.Forbidden => "Forbidden",
                FieldErrorType.TooLong => "Too long",
                FieldErrorType.TooMany => "Too many",
                FieldErrorType.NotFound => $"Not found: {Render(Value)}",
                _ => "Invalid value",
            };
            return string.IsNullOrEmpty(Detail) ? head : $"{head}: {Detail}";
        }
    }

    public override string ToString() => $"{Field}: {Body}";

    private static string Render(object? value) => value switch
    {
        null => "null",
        string s => JsonSerializer.Serialize(s),
        int or long or bool => JsonSerializer.Serialize(value).ToLowerInvariant(),
        System.Text.Json.Nodes.JsonNode n => n.ToJsonString(),
        _ => JsonSerializer.Serialize(value.ToString()),
    };
}
