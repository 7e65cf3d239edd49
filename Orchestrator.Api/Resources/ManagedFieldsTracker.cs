using System.Text.Json.Nodes;
using Orchestrator.Api.Patching;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Resources;

/// <summary>
/// Keeps <c>metadata.managedFields</c> in step with every write: applies record ownership through server-side apply,
/// other writes through an "Update" entry for their field manager. Writes without a manager change no ownership.
/// </summary>
public sealed class ManagedFieldsTracker
{
    public void RecordUpdate(JsonObject? old, JsonObject updated, string? manager, DateTimeOffset now, string? subresource = null)
    {
        if (string.IsNullOrEmpty(manager)) return;
        var tracked = ServerSideApply.UpdateManagedFields(old, updated, manager, "Update", now, subresource);
        if (tracked["metadata"]?["managedFields"] is { } managed) updated.Metadata()["managedFields"] = managed.DeepClone();
        else updated.Metadata().Remove("managedFields");
    }

    public JsonObject Apply(JsonObject? live, JsonObject applied, string manager, bool force, DateTimeOffset now, string? subresource = null) =>
        ServerSideApply.Apply(live, applied, manager, force, now, subresource).Object;
}
