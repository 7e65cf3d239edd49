using System.Text.Json.Nodes;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Patching;

/// <summary>
/// One <c>metadata.managedFields</c> entry. Managers are identified as upstream does: an Apply entry by manager name
/// (and subresource), an Update entry additionally by apiVersion.
/// </summary>
internal sealed class ManagedFieldsEntry
{
    public required string Manager { get; init; }
    public required string Operation { get; init; }
    public string? ApiVersion { get; set; }
    public string? Time { get; set; }
    public string? Subresource { get; init; }
    public FieldSet Fields { get; set; } = new();

    public bool IsApply => Operation == "Apply";

    public bool Is(string manager, string operation, string? apiVersion, string? subresource) =>
        Manager == manager && Operation == operation && (Subresource ?? "") == (subresource ?? "")
        && (operation == "Apply" || ApiVersion == apiVersion);

    /// <summary>How conflict messages name the manager: <c>"kubectl" using apps/v1</c> for Update entries.</summary>
    public string Describe()
    {
        var name = $"\"{Manager}\"";
        if (!string.IsNullOrEmpty(Subresource)) name += $" with subresource \"{Subresource}\"";
        return IsApply ? name : $"{name} using {ApiVersion}";
    }

    public static List<ManagedFieldsEntry> Read(JsonObject? obj)
    {
        var entries = new List<ManagedFieldsEntry>();
        if (obj?["metadata"]?["managedFields"] is not JsonArray list) return entries;
        foreach (var item in list)
        {
            if (item is not JsonObject e || e.Str("manager") is not { } manager) continue;
            entries.Add(new ManagedFieldsEntry
            {
                Manager = manager,
                Operation = e.Str("operation") ?? "Update",
                ApiVersion = e.Str("apiVersion"),
                Time = e.Str("time"),
                Subresource = e.Str("subresource"),
                Fields = FieldSet.FromFieldsV1(e["fieldsV1"]),
            });
        }
        return entries;
    }

    /// <summary>Writes the entries into <c>metadata.managedFields</c>, dropping those that own nothing.</summary>
    public static void Write(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        var list = new JsonArray();
        foreach (var e in entries.Where(e => !e.Fields.IsEmpty)) list.Add(e.ToJson());
        if (list.Count > 0) obj.Metadata()["managedFields"] = list;
        else obj.Metadata().Remove("managedFields");
    }

    public static string FormatTime(DateTimeOffset time) => KubeTime.Format(time);

    private JsonObject ToJson()
    {
        var json = new JsonObject { ["manager"] = Manager, ["operation"] = Operation };
        if (ApiVersion != null) json["apiVersion"] = ApiVersion;
        if (Time != null) json["time"] = Time;
        json["fieldsType"] = "FieldsV1";
        json["fieldsV1"] = Fields.ToFieldsV1();
        if (!string.IsNullOrEmpty(Subresource)) json["subresource"] = Subresource;
        return json;
    }
}
