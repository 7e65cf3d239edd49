using System.Globalization;
using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Orchestrator.Core.Serialization;

/// <summary>
/// Converts YAML documents into JSON trees with the YAML 1.2 core schema: plain scalars become
/// numbers, booleans or null when they look like one; quoted scalars stay strings.
/// Errors carry the line and column so that a user can find the mistake.
/// </summary>
public static class YamlJson
{
    /// <summary>Parses every document of a YAML stream. Empty documents are skipped.</summary>
    public static List<JsonNode> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw ApiException.BadRequest(
                $"error converting YAML to JSON: yaml: line {e.Start.Line}, column {e.Start.Column}: {InnerMessage(e)}");
        }
        var result = new List<JsonNode>();
        foreach (var doc in stream.Documents)
        {
            var node = Convert(doc.RootNode);
            if (node != null) result.Add(node);
        }
        return result;
    }

    /// <summary>Parses exactly one document (the body of a single-object request).</summary>
    public static JsonNode? ParseOne(string yaml)
    {
        var docs = ParseAll(yaml);
        if (docs.Count > 1) throw ApiException.BadRequest("expected a single YAML document, found " + docs.Count);
        return docs.Count == 0 ? null : docs[0];
    }

    private static string InnerMessage(YamlException e)
    {
        var m = e.InnerException?.Message ?? e.Message;
        // YamlDotNet prefixes messages with the position; we already report it.
        var idx = m.IndexOf("): ", StringComparison.Ordinal);
        return idx > 0 && m.StartsWith("(Line", StringComparison.Ordinal) ? m[(idx + 3)..] : m;
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode map => ConvertMap(map),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => null,
    };

    private static JsonObject ConvertMap(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode ks)
                throw ApiException.BadRequest($"error converting YAML to JSON: yaml: line {k.Start.Line}, column {k.Start.Column}: mapping keys must be scalars");
            var key = ks.Value ?? "null";
            if (obj.ContainsKey(key))
                throw ApiException.BadRequest($"error converting YAML to JSON: yaml: line {k.Start.Line}, column {k.Start.Column}: mapping key \"{key}\" already defined");
            obj[key] = Convert(v);
        }
        return obj;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode s)
    {
        var value = s.Value ?? "";
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return JsonValue.Create(value);
        if (!s.Tag.IsEmpty && !s.Tag.IsNonSpecific && s.Tag.Value == "tag:yaml.org,2002:str") return JsonValue.Create(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (IsInteger(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        if (value.StartsWith("0x", StringComparison.Ordinal) &&
            long.TryParse(value[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
            return JsonValue.Create(hex);
        if (value.StartsWith("0o", StringComparison.Ordinal))
        {
            try { return JsonValue.Create(System.Convert.ToInt64(value[2..], 8)); } catch (FormatException) { }
        }
        if (IsFloat(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return JsonValue.Create(d);
        return JsonValue.Create(value);
    }

    private static bool IsInteger(string v)
    {
        var i = v.Length > 0 && (v[0] == '-' || v[0] == '+') ? 1 : 0;
        if (i >= v.Length) return false;
        for (; i < v.Length; i++) if (!char.IsAsciiDigit(v[i])) return false;
        return true;
    }

    private static bool IsFloat(string v)
    {
        // YAML 1.2 core: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
        var i = 0;
        if (i < v.Length && (v[i] == '-' || v[i] == '+')) i++;
        var digits = 0;
        while (i < v.Length && char.IsAsciiDigit(v[i])) { i++; digits++; }
        if (i < v.Length && v[i] == '.')
        {
            i++;
            while (i < v.Length && char.IsAsciiDigit(v[i])) { i++; digits++; }
        }
        if (digits == 0) return false;
        if (i < v.Length && (v[i] == 'e' || v[i] == 'E'))
        {
            i++;
            if (i < v.Length && (v[i] == '-' || v[i] == '+')) i++;
            var exp = 0;
            while (i < v.Length && char.IsAsciiDigit(v[i])) { i++; exp++; }
            if (exp == 0) return false;
        }
        return i == v.Length;
    }
}
