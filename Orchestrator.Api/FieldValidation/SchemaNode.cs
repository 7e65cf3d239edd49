namespace Orchestrator.Api.FieldValidation;

/// <summary>
/// A schema reduced to what unknown-field detection needs: which object keys are known, and how to descend into
/// lists and maps. Nodes are built once by <see cref="SchemaNodeCompiler"/>; an object node's property table is
/// filled right after the node is created, so that a schema reached again through a <c>$ref</c> cycle can point to
/// the node that is still being filled.
/// </summary>
internal sealed class SchemaNode
{
    private SchemaNode(SchemaNodeKind kind, SchemaNode? element)
    {
        Kind = kind;
        Element = element;
    }

    public SchemaNodeKind Kind { get; }

    /// <summary>Known properties of an <see cref="SchemaNodeKind.Object"/> node.</summary>
    public Dictionary<string, SchemaNode> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Item schema of an <see cref="SchemaNodeKind.Array"/> node, value schema of a <see cref="SchemaNodeKind.Map"/> node.</summary>
    public SchemaNode? Element { get; }

    public static SchemaNode NewLeaf() => new(SchemaNodeKind.Leaf, null);
    public static SchemaNode NewOpen() => new(SchemaNodeKind.Open, null);
    public static SchemaNode NewObject() => new(SchemaNodeKind.Object, null);
    public static SchemaNode ArrayOf(SchemaNode items) => new(SchemaNodeKind.Array, items);
    public static SchemaNode MapOf(SchemaNode values) => new(SchemaNodeKind.Map, values);
}
