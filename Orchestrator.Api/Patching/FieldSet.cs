using System.Text.Json.Nodes;

namespace Orchestrator.Api.Patching;

/// <summary>
/// A set of field paths owned by one manager, convertible to and from the FieldsV1 tree of <c>managedFields</c>.
/// In that tree every key is a path element; a path is a member when its node is a leaf (<c>{}</c>) or, when it also has
/// members below it, when it carries the <c>"."</c> key.
/// </summary>
public sealed class FieldSet
{
    // Elements are joined by NUL, which JSON-encoded keys and values never contain unescaped.
    private const char Separator = '\0';
    private readonly HashSet<string> _members = new(StringComparer.Ordinal);

    public int Count => _members.Count;
    public bool IsEmpty => _members.Count == 0;

    public IEnumerable<IReadOnlyList<string>> Paths => _members.Select(m => (IReadOnlyList<string>)m.Split(Separator));

    public bool SetEquals(FieldSet other) => _members.SetEquals(other._members);

    public bool Contains(IReadOnlyList<string> path) => _members.Contains(Join(path));

    public void Add(IReadOnlyList<string> path) => _members.Add(Join(path));

    public bool Remove(IReadOnlyList<string> path) => _members.Remove(Join(path));

    public void RemoveWhere(Func<IReadOnlyList<string>, bool> predicate) =>
        _members.RemoveWhere(m => predicate(m.Split(Separator)));

    /// <summary>True when some member lies strictly below <paramref name="path"/>.</summary>
    public bool HasDescendant(IReadOnlyList<string> path)
    {
        var prefix = Join(path) + Separator;
        return _members.Any(m => m.StartsWith(prefix, StringComparison.Ordinal));
    }

    public static FieldSet FromFieldsV1(JsonNode? fields)
    {
        var set = new FieldSet();
        if (fields is JsonObject root) Read(root, [], set);
        return set;
    }

    public JsonObject ToFieldsV1()
    {
        var root = new Node();
        foreach (var member in _members)
        {
            var node = root;
            foreach (var element in member.Split(Separator))
            {
                if (!node.Children.TryGetValue(element, out var child))
                    node.Children[element] = child = new Node();
                node = child;
            }
            node.Member = true;
        }
        return root.ToJson();
    }

    private static void Read(JsonObject node, List<string> path, FieldSet set)
    {
        foreach (var (key, value) in node)
        {
            if (key == ".")
            {
                if (path.Count > 0) set.Add(path);
                continue;
            }
            path.Add(key);
            if (value is JsonObject child && child.Count > 0) Read(child, path, set);
            else set.Add(path);
            path.RemoveAt(path.Count - 1);
        }
    }

    private static string Join(IReadOnlyList<string> path) => string.Join(Separator, path);

    private sealed class Node
    {
        public bool Member;
        public SortedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);

        public JsonObject ToJson()
        {
            var json = new JsonObject();
            if (Member && Children.Count > 0) json["."] = new JsonObject();
            foreach (var (key, child) in Children) json[key] = child.ToJson();
            return json;
        }
    }
}
