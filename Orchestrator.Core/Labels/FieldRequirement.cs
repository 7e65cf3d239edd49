namespace Orchestrator.Core.Labels;

/// <summary>One term of a field selector: <c>field=value</c>, <c>field==value</c> or <c>field!=value</c>.</summary>
public sealed record FieldRequirement(string Field, bool Negated, string Value)
{
    /// <summary>A missing field compares as the empty string, as upstream field sets do.</summary>
    public bool Matches(Func<string, string?> getField)
    {
        var actual = getField(Field) ?? "";
        return string.Equals(actual, Value, StringComparison.Ordinal) != Negated;
    }

    public override string ToString() => Field + (Negated ? "!=" : "=") + FieldSelector.Escape(Value);
}
