using System.Text;
using Orchestrator.Core.Errors;

namespace Orchestrator.Api.FieldValidation;

/// <summary>Turns unknown field paths into what the client sees: a strict-decoding error or Warning headers.</summary>
public static class UnknownFieldReport
{
    /// <summary>
    /// 400 BadRequest with upstream's wording, which kubectl prints after "Error from server (BadRequest): ":
    /// <c>strict decoding error: unknown field "spec.a", unknown field "spec.b"</c>.
    /// </summary>
    public static ApiException StrictError(IReadOnlyList<string> fields) =>
        ApiException.BadRequest("strict decoding error: " + string.Join(", ", fields.Select(WarningText)));

    /// <summary>The human-readable text for one field: <c>unknown field "spec.replica"</c>.</summary>
    public static string WarningText(string field) => $"unknown field \"{field}\"";

    /// <summary>
    /// One <c>Warning</c> header value per field, in RFC 7234 form: <c>299 - "unknown field \"spec.replica\""</c>.
    /// kubectl prints each as <c>Warning: unknown field "spec.replica"</c>.
    /// </summary>
    public static IReadOnlyList<string> WarningHeaderValues(IReadOnlyList<string> fields) =>
        fields.Select(f => WarningHeaderValue(WarningText(f))).ToList();

    /// <summary>
    /// A Warning header value (code 299, no agent) carrying <paramref name="text"/> as a quoted string. Quotes and
    /// backslashes are escaped as the quoted-string grammar requires; characters outside printable ASCII are written
    /// as \uXXXX, because a field name is user input and Kestrel refuses non-ASCII or control characters in headers.
    /// </summary>
    public static string WarningHeaderValue(string text)
    {
        var sb = new StringBuilder("299 - \"", text.Length + 10);
        foreach (var c in text)
        {
            if (c is '"' or '\\') sb.Append('\\').Append(c);
            else if (c < 0x20 || c > 0x7e) sb.Append("\\u").Append(((int)c).ToString("x4"));
            else sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    /// <summary>
    /// Applies a mode to the fields found: Strict throws <see cref="StrictError"/> when there are any; Warn returns the
    /// Warning header values to add to the response; Ignore (or no unknown fields) returns nothing.
    /// </summary>
    /// <exception cref="ApiException">In Strict mode when <paramref name="fields"/> is not empty.</exception>
    public static IReadOnlyList<string> Enforce(FieldValidationMode mode, IReadOnlyList<string> fields)
    {
        if (fields.Count == 0 || mode == FieldValidationMode.Ignore) return [];
        if (mode == FieldValidationMode.Strict) throw StrictError(fields);
        return WarningHeaderValues(fields);
    }
}
