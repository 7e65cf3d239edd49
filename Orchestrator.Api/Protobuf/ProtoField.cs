namespace Orchestrator.Api.Protobuf;

/// <summary>One row of a schema table: a field number and what it becomes in Kubernetes JSON.</summary>
/// <param name="Number">Protobuf field number from the Kubernetes <c>generated.proto</c>.</param>
/// <param name="JsonName">Go json tag name; empty for inline (embedded) fields.</param>
/// <param name="Type">Wire-to-JSON conversion.</param>
/// <param name="Flags">Repeated / pointer / keep-zero / inline facts from the Go struct.</param>
/// <param name="MessageName">Schema key of the nested message when <paramref name="Type"/> is <see cref="ProtoFieldType.Msg"/>.</param>
public sealed record ProtoField(int Number, string JsonName, ProtoFieldType Type, FieldFlags Flags, string? MessageName = null)
{
    public bool Repeated => (Flags & FieldFlags.Rep) != 0;

    public bool Inline => (Flags & FieldFlags.Inline) != 0;

    /// <summary>True when a zero or empty value must still appear in the JSON (pointer or non-omitempty field).</summary>
    public bool KeepsZero => (Flags & (FieldFlags.Ptr | FieldFlags.Keep)) != 0;
}
