using System.Net;
using System.Text.Json.Nodes;

namespace Orchestrator.Core.Errors;

/// <summary>
/// An error that becomes a Kubernetes <c>Status</c> response. Every failure the API returns goes through this type,
/// so kubectl always gets <c>kind: Status</c> with a reason it knows.
/// </summary>
public sealed class ApiException : Exception
{
    public int Code { get; }
    public string Reason { get; }
    public string? Name { get; init; }
    public string? Group { get; init; }
    public string? Kind { get; init; }
    public IReadOnlyList<FieldError> Causes { get; init; } = [];
    public IReadOnlyList<JsonObject> ExtraCauses { get; init; } = [];
    public int? RetryAfterSeconds { get; init; }

    public ApiException(int code, string reason, string message) : base(message)
    {
        Code = code;
        Reason = reason;
    }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);
    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");
    public static ApiException Forbidden(string message) => new(403, "Forbidden", message);
    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);
    public static ApiException NotAcceptable(string message) => new(406, "NotAcceptable", message);
    public static ApiException UnsupportedMediaType(string message) => new(415, "UnsupportedMediaType", message);
    public static ApiException TooLarge(string message) => new(413, "RequestEntityTooLarge", message);
    public static ApiException Gone(string message) => new(410, "Expired", message);
    public static ApiException Internal(string message) => new(500, "InternalError", message);
    public static ApiException PathNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource");

    public static ApiException NotFound(string groupResource, string name, string plural, string group) =>
        new(404, "NotFound", $"{groupResource} \"{name}\" not found") { Name = name, Kind = plural, Group = NullIfEmpty(group) };

    public static ApiException AlreadyExists(string groupResource, string name, string plural, string group) =>
        new(409, "AlreadyExists", $"{groupResource} \"{name}\" already exists") { Name = name, Kind = plural, Group = NullIfEmpty(group) };

    public static ApiException Conflict(string groupResource, string name, string plural, string group, string? why = null) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {groupResource} \"{name}\": {why ?? "the object has been modified; please apply your changes to the latest version and try again"}")
        { Name = name, Kind = plural, Group = NullIfEmpty(group) };

    /// <summary>422 with every field error; <paramref name="kind"/> is the Kind (e.g. "Service"), as kubectl builds its message from it.</summary>
    public static ApiException Invalid(string kind, string name, string group, IReadOnlyList<FieldError> errors)
    {
        var list = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors) + "]";
        return new ApiException(422, "Invalid", $"{kind} \"{name}\" is invalid: {list}")
        {
            Name = name, Kind = kind, Group = NullIfEmpty(group), Causes = errors,
        };
    }

    public JsonObject ToStatus()
    {
        var details = new JsonObject();
        if (Name != null) details["name"] = Name;
        if (Group != null) details["group"] = Group;
        if (Kind != null) details["kind"] = Kind;
        if (Causes.Count > 0 || ExtraCauses.Count > 0)
        {
            var causes = new JsonArray();
            foreach (var c in Causes)
                causes.Add(new JsonObject { ["reason"] = c.Reason, ["message"] = c.Body, ["field"] = c.Field });
            foreach (var c in ExtraCauses) causes.Add(c.DeepClone());
            details["causes"] = causes;
        }
        if (RetryAfterSeconds is { } r) details["retryAfterSeconds"] = r;
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
            ["details"] = details,
            ["code"] = Code,
        };
        return status;
    }

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
