using System.Text.Json.Nodes;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>One subset of an Endpoints object while it is being built: every address offers every port.</summary>
public sealed class EndpointSubset
{
    public List<JsonObject> Addresses { get; } = [];
    public List<JsonObject> NotReadyAddresses { get; } = [];
    public List<JsonObject> Ports { get; } = [];

    public int Count => Addresses.Count + NotReadyAddresses.Count;

    /// <summary>The wire form; empty lists are omitted, as upstream's omitempty does.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject();
        if (Addresses.Count > 0) o["addresses"] = new JsonArray(Addresses.Select(a => (JsonNode)a.DeepClone()).ToArray());
        if (NotReadyAddresses.Count > 0) o["notReadyAddresses"] = new JsonArray(NotReadyAddresses.Select(a => (JsonNode)a.DeepClone()).ToArray());
        if (Ports.Count > 0) o["ports"] = new JsonArray(Ports.Select(p => (JsonNode)p.DeepClone()).ToArray());
        return o;
    }
}
