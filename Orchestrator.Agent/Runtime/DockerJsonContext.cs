using System.Text.Json.Serialization;

namespace Orchestrator.Agent.Runtime;

/// <summary>
/// Source-generated serialization for the Docker models: no reflection at run time (start-up and trimming), one
/// metadata set shared by every client. Docker's JSON is PascalCase, like our property names; the few lower-case
/// fields carry <see cref="JsonPropertyNameAttribute"/>. Matching is case-insensitive because Docker is not
/// consistent across versions (<c>Id</c>/<c>ID</c>).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DockerVersion))]
[JsonSerializable(typeof(DockerSystemInfo))]
[JsonSerializable(typeof(ImageInspect))]
[JsonSerializable(typeof(List<ImageSummary>))]
[JsonSerializable(typeof(ProgressMessage))]
[JsonSerializable(typeof(RegistryAuth))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(ContainerCreateRequest))]
[JsonSerializable(typeof(ContainerInspect))]
[JsonSerializable(typeof(List<ContainerSummary>))]
[JsonSerializable(typeof(ContainerWaitResponse))]
[JsonSerializable(typeof(IdResponse))]
[JsonSerializable(typeof(ExecCreateRequest))]
[JsonSerializable(typeof(ExecStartRequest))]
[JsonSerializable(typeof(ExecInspect))]
[JsonSerializable(typeof(DockerEvent))]
[JsonSerializable(typeof(NetworkCreateRequest))]
[JsonSerializable(typeof(NetworkInspect))]
[JsonSerializable(typeof(List<NetworkInspect>))]
[JsonSerializable(typeof(NetworkConnectRequest))]
[JsonSerializable(typeof(NetworkDisconnectRequest))]
[JsonSerializable(typeof(Dictionary<string, List<string>>))]
public sealed partial class DockerJsonContext : JsonSerializerContext
{
}
