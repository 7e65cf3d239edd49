namespace Orchestrator.Api.Patching;

/// <summary>
/// Patch metadata of one field: the schema type of its value (or of its elements, for lists),
/// and how a list merges. A field with no entry behaves like <see cref="Untyped"/>.
/// </summary>
/// <param name="Type">Name of the nested type in <see cref="PatchMetadata"/>; null when nothing below is known.</param>
/// <param name="MergeKey">Merge key of a <see cref="ListStrategy.Map"/> list.</param>
/// <param name="SetMerge">True for primitive lists merged as sets.</param>
/// <param name="AtomicMap">
/// True for structs Kubernetes marks <c>+structType=atomic</c> (label selectors): apply owns them as one leaf.
/// Strategic merge patch still merges them, as upstream does.
/// </param>
public sealed record PatchField(string? Type = null, string? MergeKey = null, bool SetMerge = false, bool AtomicMap = false)
{
    public static readonly PatchField Untyped = new();

    public ListStrategy Strategy =>
        MergeKey != null ? ListStrategy.Map : SetMerge ? ListStrategy.Set : ListStrategy.Atomic;
}
