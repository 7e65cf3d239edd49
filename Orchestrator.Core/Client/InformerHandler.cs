using System.Text.Json.Nodes;

namespace Orchestrator.Core.Client;

/// <summary>An <see cref="IInformerHandler"/> from delegates; a missing delegate ignores that event.</summary>
public sealed class InformerHandler(
    Action<JsonObject>? onAdd = null,
    Action<JsonObject, JsonObject>? onUpdate = null,
    Action<JsonObject>? onDelete = null) : IInformerHandler
{
    /// <summary>The same action for every change, given the object as it is now (or was, when deleted).</summary>
    public static InformerHandler Any(Action<JsonObject> action) => new(action, (_, n) => action(n), action);

    public void OnAdd(JsonObject obj) => onAdd?.Invoke(obj);

    public void OnUpdate(JsonObject oldObj, JsonObject newObj) => onUpdate?.Invoke(oldObj, newObj);

    public void OnDelete(JsonObject obj) => onDelete?.Invoke(obj);
}
