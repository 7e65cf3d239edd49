using System.Text.Json.Nodes;

namespace Orchestrator.Core.Controllers.Endpoints;

/// <summary>
/// The desired endpoints sharing one port list (pods whose named ports resolve alike), keyed by endpoint identity
/// and kept sorted so that slices fill in a stable order.
/// </summary>
public sealed class SliceEndpointGroup(JsonArray ports)
{
    public JsonArray Ports { get; } = ports;

    public SortedDictionary<string, JsonObject> Endpoints { get; } = new(StringComparer.Ordinal);

    public void Add(JsonObject endpoint) => Endpoints[EndpointSlices.EndpointId(endpoint)] = endpoint;
}
