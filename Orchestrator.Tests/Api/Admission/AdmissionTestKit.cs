using System.Text.Json.Nodes;
using Orchestrator.Api.Admission;
using Orchestrator.Core.Model;

namespace Orchestrator.Tests.Api.Admission;

/// <summary>Builds admission requests the way the REST layer hands them over (metadata already filled).</summary>
internal static class AdmissionTestKit
{
    public static ResourceKind Kind(string kind, string group = "") =>
        ResourceCatalog.Default.Kinds.First(k => k.Kind == kind && k.Group == group);

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    public static AdmissionRequest Create(ResourceKind kind, JsonObject obj, bool dryRun = false) =>
        new() { Kind = kind, Operation = AdmissionOperation.Create, Object = obj, DryRun = dryRun };

    public static AdmissionRequest Update(ResourceKind kind, JsonObject obj, JsonObject old, string? subresource = null) =>
        new() { Kind = kind, Operation = AdmissionOperation.Update, Object = obj, OldObject = old, Subresource = subresource };

    /// <summary>What the REST layer does once storage accepted or refused the write.</summary>
    public static void Finish(AdmissionRequest request, bool stored)
    {
        if (stored && request.Errors.Count == 0 && !request.DryRun)
            foreach (var a in request.OnCommitted) a();
        else
            foreach (var a in request.Rollbacks) a();
    }

    public static string[] Messages(AdmissionRequest request) => request.Errors.Select(e => e.ToString()).ToArray();
}
