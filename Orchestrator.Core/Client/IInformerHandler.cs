using System.Text.Json.Nodes;

namespace Orchestrator.Core.Client;

/// <summary>
/// Callbacks of an informer. They run on the informer's loop and must be quick: controllers only enqueue keys here.
/// The objects are the cache's own instances and must not be modified.
/// </summary>
public interface IInformerHandler
{
    void OnAdd(JsonObject obj);

    void OnUpdate(JsonObject oldObj, JsonObject newObj);

    void OnDelete(JsonObject obj);
}
