using System.Globalization;
using System.Text;
using Orchestrator.Core.Errors;

namespace Orchestrator.Core.Labels;

/// <summary>
/// One term of a label selector, e.g. <c>env in (prod,devel)</c>. Values are kept sorted and de-duplicated so that
/// <see cref="ToString"/> is canonical.
/// </summary>
public sealed class LabelRequirement
{
    public string Key { get; }
    public SelectorOperator Operator { get; }
    public IReadOnlyList<string> Values { get; }

    private readonly long _bound;

    private LabelRequirement(string key, SelectorOperator op, IReadOnlyList<string> values, long bound)
    {
        Key = key;
        Operator = op;
        Values = values;
        _bound = bound;
    }

    /// <summary>Builds a validated requirement; invalid input throws 400 with the reason.</summary>
    public static LabelRequirement Create(string key, SelectorOperator op, IEnumerable<string> values)
    {
        var error = TryCreate(key, op, values, out var requirement);
        if (error != null) throw ApiException.BadRequest(error);
        return requirement!;
    }

    /// <summary>Returns null on success, otherwise the validation message (without any prefix).</summary>
    internal static string? TryCreate(string key, SelectorOperator op, IEnumerable<string> values, out LabelRequirement? requirement)
    {
        requirement = null;
        var keyErrors = LabelValidation.KeyErrors(key);
        if (keyErrors.Count > 0)
            return $"key: Invalid value: \"{key}\": {string.Join("; ", keyErrors)}";

        var sorted = values.Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToList();
        long bound = 0;
        switch (op)
        {
            case SelectorOperator.In or SelectorOperator.NotIn:
                if (sorted.Count == 0) return "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty";
                break;
            case SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.NotEquals:
                if (sorted.Count != 1) return "values: Invalid value: []: exact-match compatibility requires one single value";
                break;
            case SelectorOperator.Exists or SelectorOperator.DoesNotExist:
                if (sorted.Count != 0) return "values: Invalid value: []: values set must be empty for exists and does not exist";
                break;
            case SelectorOperator.GreaterThan or SelectorOperator.LessThan:
                if (sorted.Count != 1) return "values: Invalid value: []: for 'Gt', 'Lt' operators, exactly one value is required";
                if (!long.TryParse(sorted[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out bound))
                    return $"values[0]: Invalid value: \"{sorted[0]}\": for 'Gt', 'Lt' operators, the value must be an integer";
                break;
        }

        if (op is not (SelectorOperator.GreaterThan or SelectorOperator.LessThan))
            for (var i = 0; i < sorted.Count; i++)
            {
                var valueErrors = LabelValidation.ValueErrors(sorted[i]);
                if (valueErrors.Count > 0)
                    return $"values[{i}][{key}]: Invalid value: \"{sorted[i]}\": {string.Join("; ", valueErrors)}";
            }

        requirement = new LabelRequirement(key, op, sorted, bound);
        return null;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        switch (Operator)
        {
            case SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.In:
                return has && Contains(value!);
            case SelectorOperator.NotEquals or SelectorOperator.NotIn:
                return !has || !Contains(value!);
            case SelectorOperator.Exists:
                return has;
            case SelectorOperator.DoesNotExist:
                return !has;
            case SelectorOperator.GreaterThan or SelectorOperator.LessThan:
                // A label that is not an integer never satisfies a numeric comparison, as upstream.
                if (!has || !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return false;
                return Operator == SelectorOperator.GreaterThan ? n > _bound : n < _bound;
            default:
                return false;
        }
    }

    private bool Contains(string value)
    {
        foreach (var v in Values)
            if (string.Equals(v, value, StringComparison.Ordinal)) return true;
        return false;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Operator == SelectorOperator.DoesNotExist) sb.Append('!');
        sb.Append(Key);
        switch (Operator)
        {
            case SelectorOperator.Equals: sb.Append('='); break;
            case SelectorOperator.DoubleEquals: sb.Append("=="); break;
            case SelectorOperator.NotEquals: sb.Append("!="); break;
            case SelectorOperator.In: sb.Append(" in "); break;
            case SelectorOperator.NotIn: sb.Append(" notin "); break;
            case SelectorOperator.GreaterThan: sb.Append('>'); break;
            case SelectorOperator.LessThan: sb.Append('<'); break;
            default: return sb.ToString();
        }

        var set = Operator is SelectorOperator.In or SelectorOperator.NotIn;
        if (set) sb.Append('(');
        sb.Append(string.Join(",", Values));
        if (set) sb.Append(')');
        return sb.ToString();
    }
}
