using System.Text;
using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;

namespace Orchestrator.Core.Validation;

/// <summary>Labels and annotations as metav1 validation checks them, with Kubernetes' field paths.</summary>
public static class MetadataValidation
{
    /// <summary>Keys are reported at <paramref name="path"/>, values at <c>path[key]</c>, as upstream does.</summary>
    public static List<FieldError> ValidateLabels(JsonNode? labels, string path)
    {
        var errors = new List<FieldError>();
        if (labels is null) return errors;
        if (labels is not JsonObject map)
        {
            errors.Add(FieldError.Invalid(path, labels, "must be a map of string keys to string values"));
            return errors;
        }
        foreach (var (key, node) in map)
        {
            foreach (var msg in NameValidation.IsQualifiedName(key)) errors.Add(FieldError.Invalid(path, key, msg));
            if (node is not JsonValue v || !v.TryGetValue<string>(out var value))
            {
                errors.Add(FieldError.Invalid($"{path}[{key}]", node?.DeepClone(), "must be a string"));
                continue;
            }
            foreach (var msg in NameValidation.IsValidLabelValue(value)) errors.Add(FieldError.Invalid($"{path}[{key}]", value, msg));
        }
        return errors;
    }

    /// <summary>Annotation keys are qualified names (compared lowercased); keys and values together may not exceed 256 KiB.</summary>
    public static List<FieldError> ValidateAnnotations(JsonNode? annotations, string path)
    {
        var errors = new List<FieldError>();
        if (annotations is null) return errors;
        if (annotations is not JsonObject map)
        {
            errors.Add(FieldError.Invalid(path, annotations, "must be a map of string keys to string values"));
            return errors;
        }
        long total = 0;
        foreach (var (key, node) in map)
        {
            foreach (var msg in NameValidation.IsQualifiedName(key.ToLowerInvariant())) errors.Add(FieldError.Invalid(path, key, msg));
            total += Encoding.UTF8.GetByteCount(key);
            if (node is JsonValue v && v.TryGetValue<string>(out var value))
                total += Encoding.UTF8.GetByteCount(value);
            else
                errors.Add(FieldError.Invalid($"{path}[{key}]", node?.DeepClone(), "must be a string"));
        }
        if (total > NameValidation.TotalAnnotationSizeLimitBytes)
            errors.Add(new FieldError(FieldErrorType.TooLong, path, null, $"must have at most {NameValidation.TotalAnnotationSizeLimitBytes} bytes"));
        return errors;
    }
}
