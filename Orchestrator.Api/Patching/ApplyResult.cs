using System.Text.Json.Nodes;

namespace Orchestrator.Api.Patching;

/// <summary>Outcome of a server-side apply.</summary>
/// <param name="Object">The merged object with updated <c>metadata.managedFields</c>.</param>
/// <param name="Created">True when there was no live object (apply is an upsert: the caller answers 201).</param>
/// <param name="Changed">True when anything other than managedFields differs from the live object.</param>
public sealed record ApplyResult(JsonObject Object, bool Created, bool Changed);
