using System.Text.Json.Serialization;

namespace Orchestrator.Agent.Runtime;

/// <summary>The body of every Docker API error.</summary>
public sealed class ErrorResponse
{
    [JsonPropertyName("message")] public string? Message { get; set; }
}
