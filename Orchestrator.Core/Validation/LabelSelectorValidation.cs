using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;

namespace Orchestrator.Core.Validation;

/// <summary>Checks a metav1.LabelSelector (<c>matchLabels</c> and <c>matchExpressions</c>) held as JSON.</summary>
public static class LabelSelectorValidation
{
    public static readonly IReadOnlyList<string> Operators = ["DoesNotExist", "Exists", "In", "NotIn"];

    public static List<FieldError> Validate(JsonNode? selector, string path)
    {
        var errors = new List<FieldError>();
        if (selector is null) return errors;
        if (selector is not JsonObject obj)
        {
            errors.Add(FieldError.Invalid(path, selector.DeepClone(), "must be a label selector object"));
            return errors;
        }
        errors.AddRange(MetadataValidation.ValidateLabels(obj["matchLabels"], path + ".matchLabels"));
        if (obj["matchExpressions"] is null) return errors;
        if (obj["matchExpressions"] is not JsonArray expressions)
        {
            errors.Add(FieldError.Invalid(path + ".matchExpressions", obj["matchExpressions"]!.DeepClone(), "must be a list"));
            return errors;
        }
        for (var i = 0; i < expressions.Count; i++)
            errors.AddRange(ValidateRequirement(expressions[i] as JsonObject, $"{path}.matchExpressions[{i}]"));
        return errors;
    }

    private static List<FieldError> ValidateRequirement(JsonObject? requirement, string path)
    {
        var errors = new List<FieldError>();
        if (requirement is null)
        {
            errors.Add(FieldError.Required(path, ""));
            return errors;
        }
        var op = requirement["operator"] is JsonValue ov && ov.TryGetValue<string>(out var s) ? s : "";
        var values = requirement["values"] as JsonArray;
        var count = values?.Count ?? 0;
        switch (op)
        {
            case "In" or "NotIn":
                if (count == 0) errors.Add(FieldError.Required(path + ".values", "must be specified when `operator` is 'In' or 'NotIn'"));
                break;
            case "Exists" or "DoesNotExist":
                if (count > 0) errors.Add(FieldError.Forbidden(path + ".values", "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                break;
            default:
                errors.Add(FieldError.Invalid(path + ".operator", op, "not a valid selector operator"));
                break;
        }

        var key = requirement["key"] is JsonValue kv && kv.TryGetValue<string>(out var k) ? k : "";
        foreach (var msg in NameValidation.IsQualifiedName(key)) errors.Add(FieldError.Invalid(path + ".key", key, msg));

        if (values is not null)
            for (var j = 0; j < values.Count; j++)
            {
                var value = values[j] is JsonValue vv && vv.TryGetValue<string>(out var str) ? str : null;
                if (value is null)
                {
                    errors.Add(FieldError.Invalid($"{path}.values[{j}]", values[j]?.DeepClone(), "must be a string"));
                    continue;
                }
                foreach (var msg in NameValidation.IsValidLabelValue(value))
                    errors.Add(FieldError.Invalid($"{path}.values[{j}]", value, msg));
            }
        return errors;
    }

    /// <summary>
    /// Whether <paramref name="labels"/> satisfy the selector. An empty selector matches everything, as
    /// metav1.LabelSelectorAsSelector makes it; callers reject empty selectors separately where needed.
    /// </summary>
    public static bool Matches(JsonObject selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector["matchLabels"] is JsonObject ml)
            foreach (var (k, v) in ml)
                if (!labels.TryGetValue(k, out var actual) || actual != v?.GetValue<string>()) return false;
        if (selector["matchExpressions"] is JsonArray me)
            foreach (var e in me.OfType<JsonObject>())
            {
                var key = e["key"]?.GetValue<string>() ?? "";
                var values = (e["values"] as JsonArray)?.Select(x => x?.GetValue<string>()).ToHashSet() ?? [];
                var has = labels.TryGetValue(key, out var actual);
                var ok = e["operator"]?.GetValue<string>() switch
                {
                    "In" => has && values.Contains(actual),
                    "NotIn" => !has || !values.Contains(actual),
                    "Exists" => has,
                    "DoesNotExist" => !has,
                    _ => false,
                };
                if (!ok) return false;
            }
        return true;
    }
}
