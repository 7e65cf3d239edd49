using System.Text.RegularExpressions;

namespace Orchestrator.Core.Validation;

/// <summary>
/// Name and label checks from Kubernetes' apimachinery validation. Each returns the list of messages
/// Kubernetes would print (empty when valid), so callers wrap them into field errors with their own paths.
/// </summary>
public static partial class NameValidation
{
    public const int Dns1123LabelMaxLength = 63;
    public const int Dns1123SubdomainMaxLength = 253;
    public const int Dns1035LabelMaxLength = 63;
    public const int QualifiedNameMaxLength = 63;
    public const int LabelValueMaxLength = 63;
    public const int TotalAnnotationSizeLimitBytes = 256 * 1024;

    private const string Dns1123LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123SubdomainFormat = Dns1123LabelFormat + "(\\." + Dns1123LabelFormat + ")*";
    private const string Dns1035LabelFormat = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string QualifiedNameFormat = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelValueFormat = "(" + QualifiedNameFormat + ")?";

    private const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private const string Dns1035LabelMessage =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    private const string QualifiedNameMessage =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    private const string LabelValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    [GeneratedRegex("^" + Dns1123LabelFormat + "$")] private static partial Regex Dns1123LabelRegex();
    [GeneratedRegex("^" + Dns1123SubdomainFormat + "$")] private static partial Regex Dns1123SubdomainRegex();
    [GeneratedRegex("^" + Dns1035LabelFormat + "$")] private static partial Regex Dns1035LabelRegex();
    [GeneratedRegex("^" + QualifiedNameFormat + "$")] private static partial Regex QualifiedNameRegex();
    [GeneratedRegex("^" + LabelValueFormat + "$")] private static partial Regex LabelValueRegex();

    public static List<string> IsDns1123Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123LabelMaxLength) errors.Add(MaxLenError(Dns1123LabelMaxLength));
        if (!Dns1123LabelRegex().IsMatch(value))
            errors.Add(RegexError(Dns1123LabelMessage, Dns1123LabelFormat, "my-name", "123-abc"));
        return errors;
    }

    public static List<string> IsDns1123Subdomain(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1123SubdomainMaxLength) errors.Add(MaxLenError(Dns1123SubdomainMaxLength));
        if (!Dns1123SubdomainRegex().IsMatch(value))
            errors.Add(RegexError(Dns1123SubdomainMessage, Dns1123SubdomainFormat, "example.com"));
        return errors;
    }

    public static List<string> IsDns1035Label(string value)
    {
        var errors = new List<string>();
        if (value.Length > Dns1035LabelMaxLength) errors.Add(MaxLenError(Dns1035LabelMaxLength));
        if (!Dns1035LabelRegex().IsMatch(value))
            errors.Add(RegexError(Dns1035LabelMessage, Dns1035LabelFormat, "my-name", "abc-123"));
        return errors;
    }

    /// <summary>A label or annotation key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static List<string> IsQualifiedName(string value)
    {
        var errors = new List<string>();
        var parts = value.Split('/');
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
                    errors.Add("prefix part " + EmptyError());
                else
                    errors.AddRange(IsDns1123Subdomain(prefix).Select(m => "prefix part " + m));
                break;
            default:
                errors.Add("a qualified name " +
                           RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc") +
                           " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errors;
        }

        if (name.Length == 0)
            errors.Add("name part " + EmptyError());
        else if (name.Length > QualifiedNameMaxLength)
            errors.Add("name part " + MaxLenError(QualifiedNameMaxLength));
        if (!QualifiedNameRegex().IsMatch(name))
            errors.Add("name part " + RegexError(QualifiedNameMessage, QualifiedNameFormat, "MyName", "my.name", "123-abc"));
        return errors;
    }

    public static List<string> IsValidLabelValue(string value)
    {
        var errors = new List<string>();
        if (value.Length > LabelValueMaxLength) errors.Add(MaxLenError(LabelValueMaxLength));
        if (!LabelValueRegex().IsMatch(value))
            errors.Add(RegexError(LabelValueMessage, LabelValueFormat, "MyValue", "my_value", "12345"));
        return errors;
    }

    public static string MaxLenError(int length) => $"must be no more than {length} characters";

    public static string EmptyError() => "must be non-empty";

    /// <summary>
    /// Kubernetes' shape for regex failures; the doubled space after each example's comma is what the
    /// apiserver prints, and users diff these strings.
    /// </summary>
    public static string RegexError(string message, string format, params string[] examples)
    {
        if (examples.Length == 0) return $"{message} (regex used for validation is '{format}')";
        var text = message + " (e.g. ";
        for (var i = 0; i < examples.Length; i++)
        {
            if (i > 0) text += " or ";
            text += $"'{examples[i]}', ";
        }
        return text + $"regex used for validation is '{format}')";
    }
}
