using System.Text.Json.Serialization;

namespace Orchestrator.Agent.Runtime;

public sealed class ProgressErrorDetail
{
    [JsonPropertyName("code")] public int? Code { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}
