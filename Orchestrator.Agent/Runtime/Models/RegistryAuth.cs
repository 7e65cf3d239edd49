using System.Text.Json.Serialization;

namespace Orchestrator.Agent.Runtime;

/// <summary>Credentials for a pull, sent base64url-encoded as JSON in the <c>X-Registry-Auth</c> header.</summary>
public sealed class RegistryAuth
{
    [JsonPropertyName("username")] public string? Username { get; set; }
    [JsonPropertyName("password")] public string? Password { get; set; }
    [JsonPropertyName("auth")] public string? Auth { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }
    [JsonPropertyName("serveraddress")] public string? ServerAddress { get; set; }
    [JsonPropertyName("identitytoken")] public string? IdentityToken { get; set; }
    [JsonPropertyName("registrytoken")] public string? RegistryToken { get; set; }
}
