using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// A handler's <c>port</c> (IntOrString) as a number, as the kubelet resolves it: a number is used as is; a string is
/// the name of one of the container's <c>ports</c>, or failing that a number written as a string.
/// </summary>
public static class ContainerPortResolver
{
    public static int Resolve(JsonNode? port, JsonObject container)
    {
        int number;
        if (port is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
        {
            number = value.TryGetValue<int>(out var n) ? n : -1;
        }
        else if (port is JsonValue text && text.TryGetValue<string>(out var name))
        {
            number = FindByName(container, name)
                ?? (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new HandlerSpecException($"couldn't find port: {name} in container {container.Str("name")}"));
        }
        else
        {
            throw new HandlerSpecException("the handler has no port");
        }
        return number is > 0 and < 65536 ? number : throw new HandlerSpecException($"invalid port number: {number}");
    }

    private static int? FindByName(JsonObject container, string name)
    {
        if (container["ports"] is not JsonArray ports)
            return null;
        foreach (var p in ports)
            if (p.Str("name") == name && p.Long("containerPort") is long number)
                return (int)number;
        return null;
    }
}
