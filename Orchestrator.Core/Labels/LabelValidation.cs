using Orchestrator.Core.Validation;

namespace Orchestrator.Core.Labels;

/// <summary>
/// Label key and value syntax, as selectors need it. Keys are qualified names (optional DNS-subdomain prefix, then a
/// name of at most 63 characters); values are at most 63 characters and may be empty. The rules themselves live in
/// <see cref="NameValidation"/>, shared with admission, so a selector and an object label can never disagree.
/// </summary>
public static class LabelValidation
{
    /// <summary>Problems with a label key; empty when the key is valid.</summary>
    public static IReadOnlyList<string> KeyErrors(string key) => NameValidation.IsQualifiedName(key);

    /// <summary>Problems with a label value; empty when the value is valid.</summary>
    public static IReadOnlyList<string> ValueErrors(string value) => NameValidation.IsValidLabelValue(value);

    public static bool IsValidKey(string key) => KeyErrors(key).Count == 0;

    public static bool IsValidValue(string value) => ValueErrors(value).Count == 0;
}
