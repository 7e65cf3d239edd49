namespace Orchestrator.Api.Discovery;

/// <summary>Which body shape a discovery response for <c>/api</c> or <c>/apis</c> carries.</summary>
public enum DiscoveryFormat
{
    /// <summary>apidiscovery.k8s.io/v2 APIGroupDiscoveryList (kubectl 1.30+).</summary>
    AggregatedV2,
    /// <summary>apidiscovery.k8s.io/v2beta1 APIGroupDiscoveryList (kubectl 1.26–1.29 only ask for this one).</summary>
    AggregatedV2Beta1,
    /// <summary>Plain APIVersions / APIGroupList, followed by one request per group-version.</summary>
    Legacy,
}

/// <summary>The chosen discovery format and the exact Content-Type that tells client-go how to parse the body.</summary>
public readonly record struct DiscoveryChoice(DiscoveryFormat Format, string ContentType);

/// <summary>
/// Picks the discovery format from an Accept header. client-go decides how to parse the body from the response
/// Content-Type alone, so the aggregated formats must be sent with the exact g/v/as parameters.
/// </summary>
public static class DiscoveryNegotiation
{
    public const string DiscoveryGroup = "apidiscovery.k8s.io";
    public const string ListKind = "APIGroupDiscoveryList";
    public const string V2ContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    public const string V2Beta1ContentType = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";
    public const string LegacyContentType = "application/json";

    public static readonly DiscoveryChoice V2 = new(DiscoveryFormat.AggregatedV2, V2ContentType);
    public static readonly DiscoveryChoice V2Beta1 = new(DiscoveryFormat.AggregatedV2Beta1, V2Beta1ContentType);
    public static readonly DiscoveryChoice Legacy = new(DiscoveryFormat.Legacy, LegacyContentType);

    /// <summary>
    /// Walks the Accept list in the client's order (as the upstream server does for discovery) and returns the first
    /// entry we can serve. Anything unrecognised (protobuf, a missing header) falls back to legacy JSON, which every
    /// client can read, instead of a 406.
    /// </summary>
    public static DiscoveryChoice Negotiate(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept)) return Legacy;
        foreach (var range in accept.Split(','))
        {
            var parts = range.Split(';');
            var mediaType = parts[0].Trim().ToLowerInvariant();
            string? g = null, v = null, @as = null;
            var q = 1.0;
            foreach (var p in parts.Skip(1))
            {
                var eq = p.IndexOf('=');
                if (eq < 0) continue;
                var key = p[..eq].Trim().ToLowerInvariant();
                var value = p[(eq + 1)..].Trim().Trim('"');
                switch (key)
                {
                    case "g": g = value; break;
                    case "v": v = value; break;
                    case "as": @as = value; break;
                    case "q":
                        if (double.TryParse(value, System.Globalization.NumberStyles.Float,
                                System.Globalization.CultureInfo.InvariantCulture, out var parsed)) q = parsed;
                        break;
                }
            }
            if (q <= 0) continue;
            var jsonLike = mediaType is "application/json" or "application/*" or "*/*";
            if (!jsonLike) continue;
            if (g is null && @as is null) return Legacy;
            if (g == DiscoveryGroup && @as == ListKind)
            {
                if (v == "v2") return V2;
                if (v == "v2beta1") return V2Beta1;
            }
            // Some other typed variant (e.g. a future discovery version): skip it and keep looking.
        }
        return Legacy;
    }
}
