using System.Text.Json.Nodes;

namespace Orchestrator.Api.Printing;

/// <summary>
/// One <c>columnDefinitions</c> entry of a <c>meta.k8s.io/v1</c> Table. kubectl shows priority 0 columns by default and
/// the others only with <c>-o wide</c>; a "name" format marks the column it prefixes with the kind.
/// </summary>
public sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority)
{
    public static TableColumn Str(string name, string description, int priority = 0) => new(name, "string", "", description, priority);
    public static TableColumn Int(string name, string description, int priority = 0) => new(name, "integer", "", description, priority);

    public static TableColumn NameColumn { get; } =
        new("Name", "string", "name", "Name of the object, unique within its namespace (or the cluster for cluster-scoped kinds).", 0);

    public static TableColumn Age { get; } =
        Str("Age", "Time since the object was created (metadata.creationTimestamp).");

    public static TableColumn Containers { get; } = Str("Containers", "Names of the containers in the pod template.", 1);
    public static TableColumn Images { get; } = Str("Images", "Images of the containers in the pod template.", 1);

    public JsonObject ToJson() => new()
    {
        ["name"] = Name,
        ["type"] = Type,
        ["format"] = Format,
        ["description"] = Description,
        ["priority"] = Priority,
    };
}
