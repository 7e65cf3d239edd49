using System.Text.Json.Nodes;

namespace Orchestrator.Api.Patching;

/// <summary>
/// Patch metadata of one field: the schema type of its value (or of its elements, for lists),
/// and how a list merges. A field with no entry behaves like <see cref="Untyped"/>.
/// </summary>
/// <param name="Type">Name of the nested type in <see cref="PatchMetadata"/>; null when nothing below is known.</param>
/// <param name="MergeKey">Merge key of a <see cref="ListStrategy.Map"/> list.</param>
/// <param name="SetMerge">True for primitive lists merged as sets.</param>
/// <param name="ApplyKeys">
/// Keys of an associative list for server-side apply when they differ from <paramref name="MergeKey"/>: upstream apply
/// identifies ports by port and protocol, while strategic merge patch uses the port alone.
/// </param>
/// <param name="AtomicMap">
/// True for structs Kubernetes marks <c>+structType=atomic</c> (label selectors): apply owns them as one leaf.
/// Strategic merge patch still merges them, as upstream does.
/// </param>
public sealed record PatchField(
    string? Type = null,
    string? MergeKey = null,
    bool SetMerge = false,
    bool AtomicMap = false,
    IReadOnlyList<string>? ApplyKeys = null)
{
    public static readonly PatchField Untyped = new();

    public ListStrategy Strategy =>
        MergeKey != null ? ListStrategy.Map : SetMerge ? ListStrategy.Set : ListStrategy.Atomic;

    /// <summary>The fields identifying an element of an associative list under server-side apply.</summary>
    public IReadOnlyList<string> ListMapKeys => ApplyKeys ?? (MergeKey is null ? [] : [MergeKey]);

    /// <summary>
    /// Value of a list-map key the element leaves out. Upstream defaults <c>protocol</c> to TCP before keys are
    /// compared, so <c>{"port":80}</c> and <c>{"port":80,"protocol":"TCP"}</c> are the same element.
    /// </summary>
    public static JsonNode? KeyDefault(string key) => key == "protocol" ? JsonValue.Create("TCP") : null;
}
