using System.Text.RegularExpressions;

namespace Orchestrator.Core.Labels;

/// <summary>
/// Label key and value syntax. Keys are qualified names (optional DNS-subdomain prefix, then a name of at most
/// 63 characters); values are at most 63 characters and may be empty.
/// </summary>
public static partial class LabelValidation
{
    private const string NameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string ValueFormat = "(" + NameFormat + ")?";

    [GeneratedRegex("^" + NameFormat + "$")]
    private static partial Regex NameRegex();

    [GeneratedRegex("^" + ValueFormat + "$")]
    private static partial Regex ValueRegex();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex SubdomainRegex();

    /// <summary>Problems with a label key; empty when the key is valid.</summary>
    public static IReadOnlyList<string> KeyErrors(string key)
    {
        var errors = new List<string>();
        var parts = key.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                var prefix = parts[0];
                name = parts[1];
                if (prefix.Length == 0)
                    errors.Add("prefix part must be non-empty");
                else if (prefix.Length > 253)
                    errors.Add("prefix part must be no more than 253 characters");
                else if (!SubdomainRegex().IsMatch(prefix))
                    errors.Add("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', " +
                               "and must start and end with an alphanumeric character (e.g. 'example.com')");
                break;
            default:
                errors.Add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
                           $"alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName'); regex: '{NameFormat}'");
                return errors;
        }

        if (name.Length == 0)
            errors.Add("name part must be non-empty");
        else if (name.Length > 63)
            errors.Add("name part must be no more than 63 characters");
        if (name.Length > 0 && !NameRegex().IsMatch(name))
            errors.Add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an " +
                       $"alphanumeric character (e.g. 'MyName', 'my.name' or '123-abc'); regex: '{NameFormat}'");
        return errors;
    }

    /// <summary>Problems with a label value; empty when the value is valid.</summary>
    public static IReadOnlyList<string> ValueErrors(string value)
    {
        var errors = new List<string>();
        if (value.Length > 63) errors.Add("must be no more than 63 characters");
        if (!ValueRegex().IsMatch(value))
            errors.Add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start " +
                       $"and end with an alphanumeric character (e.g. 'MyValue', 'my_value' or '12345'); regex: '{ValueFormat}'");
        return errors;
    }

    public static bool IsValidKey(string key) => KeyErrors(key).Count == 0;

    public static bool IsValidValue(string value) => ValueErrors(value).Count == 0;
}
