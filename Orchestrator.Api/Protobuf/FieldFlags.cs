namespace Orchestrator.Api.Protobuf;

/// <summary>
/// Per-field facts from the Go struct that decide the JSON shape. Go's protobuf marshaller writes every non-pointer
/// scalar, zero or not, while its JSON marshaller drops zero values of <c>omitempty</c> fields; these flags let the
/// decoder reproduce the JSON form.
/// </summary>
[Flags]
public enum FieldFlags
{
    /// <summary>Non-pointer <c>omitempty</c> field: zero values and empty objects are dropped.</summary>
    None = 0,
    /// <summary>repeated field → JSON array.</summary>
    Rep = 1,
    /// <summary>Go pointer (optional) field: present on the wire means set, so zero values are kept.</summary>
    Ptr = 2,
    /// <summary>Non-pointer field without <c>omitempty</c>: Go's JSON always prints it, so zero values are kept.</summary>
    Keep = 4,
    /// <summary>Embedded Go struct (<c>json:",inline"</c>): the sub-message's fields merge into the parent object.</summary>
    Inline = 8,
}
