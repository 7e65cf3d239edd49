using System.Text.Json.Serialization;

namespace Orchestrator.Agent.Runtime;

/// <summary>One JSON line of a streamed pull or import; <see cref="Error"/> set means the operation failed.</summary>
public sealed class ProgressMessage
{
    [JsonPropertyName("status")] public string? Status { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("progress")] public string? Progress { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
    [JsonPropertyName("errorDetail")] public ProgressErrorDetail? ErrorDetail { get; set; }
}
