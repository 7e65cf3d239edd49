namespace Orchestrator.Api.Patching;

/// <summary>
/// A position in the patch metadata tree: the type of the JSON object being merged.
/// The default value is the untyped position, where maps merge and lists are replaced.
/// </summary>
public readonly record struct PatchSchema(string? TypeName)
{
    public static readonly PatchSchema Untyped = default;

    public bool IsTyped => TypeName != null;

    /// <summary>Metadata of a field of this type; <see cref="PatchField.Untyped"/> when unknown.</summary>
    public PatchField Field(string name) => PatchMetadata.FieldOf(TypeName, name);

    /// <summary>Schema of the value of a field (for lists: of each element).</summary>
    public PatchSchema Child(string name) => new(Field(name).Type);
}
