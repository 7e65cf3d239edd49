using System.Text;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Labels;

namespace Orchestrator.Api.Resources;

/// <summary>The query of a list or watch: selectors, paging and the revision to start from.</summary>
public sealed record ListQuery(
    LabelSelector? Labels,
    FieldSelector? Fields,
    int? Limit,
    ContinueToken? Continue,
    string? ResourceVersion)
{
    public static readonly ListQuery All = new(null, null, null, null, null);

    public static ListQuery FromQuery(IQueryCollection q)
    {
        var labels = string.IsNullOrWhiteSpace(q["labelSelector"]) ? null : LabelSelector.Parse(q["labelSelector"]!);
        var fields = string.IsNullOrWhiteSpace(q["fieldSelector"]) ? null : FieldSelector.Parse(q["fieldSelector"]!);
        int? limit = null;
        if (!string.IsNullOrEmpty(q["limit"]))
        {
            if (!int.TryParse(q["limit"], out var l) || l < 0) throw ApiException.BadRequest($"invalid limit \"{q["limit"]}\"");
            if (l > 0) limit = l;
        }
        var cont = string.IsNullOrEmpty(q["continue"]) ? null : ContinueToken.Decode(q["continue"]!);
        var rv = string.IsNullOrEmpty(q["resourceVersion"]) ? null : q["resourceVersion"].ToString();
        return new ListQuery(labels, fields, limit, cont, rv);
    }
}

/// <summary>Where a paged list stopped: the revision of the first page and the last key returned.</summary>
public sealed record ContinueToken(long Revision, string LastKey)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Revision}\n{LastKey}"))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static ContinueToken Decode(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + (4 - b64.Length % 4) % 4, '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(b64));
            var nl = text.IndexOf('\n');
            return new ContinueToken(long.Parse(text[..nl]), text[(nl + 1)..]);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
        {
            throw ApiException.BadRequest("invalid continue token");
        }
    }
}
