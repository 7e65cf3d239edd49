using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Admission;

/// <summary>
/// Bookkeeping that must follow storage (allocators): told every stored object at startup so that state is
/// rebuilt from what was persisted, and told after an object has really been deleted.
/// </summary>
public interface IResourceLifecycleHook
{
    void Rebuild(ResourceKind kind, IEnumerable<JsonObject> storedObjects);

    void Deleted(ResourceKind kind, JsonObject deletedObject);
}
