using System.Text.Json.Nodes;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Admission;

/// <summary>
/// One write on its way to storage. Admission steps default and validate <see cref="Object"/> in place and
/// add field errors; a non-empty error list turns into a 422 Invalid Status naming every field.
/// </summary>
public sealed class AdmissionRequest
{
    public required ResourceKind Kind { get; init; }
    public required AdmissionOperation Operation { get; init; }

    /// <summary>The object to be written (after patching, for patches); steps may change it (defaulting).</summary>
    public required JsonObject Object { get; init; }

    /// <summary>The stored object for updates and deletes; never modified.</summary>
    public JsonObject? OldObject { get; init; }

    /// <summary>"status", "scale", … or null for the main resource.</summary>
    public string? Subresource { get; init; }

    /// <summary>dryRun=All: validate and default, but allocate nothing that outlives the request.</summary>
    public bool DryRun { get; init; }

    public List<FieldError> Errors { get; } = [];

    /// <summary>
    /// Undo actions for side effects taken during admission (IP or port allocations). The REST layer runs them
    /// when the write does not reach storage (validation failed, conflict, dry run), so nothing leaks.
    /// </summary>
    public List<Action> Rollbacks { get; } = [];

    /// <summary>Actions to run only once the write is durable (e.g. releasing node ports a Service update gave up).</summary>
    public List<Action> OnCommitted { get; } = [];
}
