using System.Text.Json.Serialization;

namespace Orchestrator.Agent.Runtime;

/// <summary>One object of the <c>GET /events</c> stream.</summary>
public sealed class DockerEvent
{
    /// <summary>container, image, network, volume, daemon, …</summary>
    public string? Type { get; set; }
    /// <summary>create, start, die, kill, stop, destroy, oom, exec_create, connect, …</summary>
    public string? Action { get; set; }
    public DockerEventActor? Actor { get; set; }
    [JsonPropertyName("scope")] public string? Scope { get; set; }
    [JsonPropertyName("time")] public long Time { get; set; }
    [JsonPropertyName("timeNano")] public long TimeNano { get; set; }
}
