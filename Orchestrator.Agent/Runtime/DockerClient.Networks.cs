using System.Net;
using System.Text.Json;

namespace Orchestrator.Agent.Runtime;

public sealed partial class DockerClient
{
    /// <summary><c>POST /networks/create</c>; returns the network id. 409 when the name exists.</summary>
    public async Task<string> CreateNetworkAsync(NetworkCreateRequest request, CancellationToken cancellationToken)
    {
        var created = await PostJsonAsync("networks/create", request, Json.NetworkCreateRequest, Json.IdResponse, cancellationToken)
            .ConfigureAwait(false);
        return created.Id ?? throw new DockerApiException(HttpStatusCode.InternalServerError, "network create answered without an Id");
    }

    /// <summary><c>GET /networks/{id or name}</c>; 404 when absent.</summary>
    public Task<NetworkInspect> InspectNetworkAsync(string idOrName, CancellationToken cancellationToken) =>
        GetJsonAsync($"networks/{Escape(idOrName)}", Json.NetworkInspect, cancellationToken);

    /// <summary>The network, or null when it does not exist.</summary>
    public async Task<NetworkInspect?> TryInspectNetworkAsync(string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            return await InspectNetworkAsync(idOrName, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary><c>GET /networks</c>, filtered by <c>name</c>, <c>label</c>, <c>driver</c>, …</summary>
    public Task<List<NetworkInspect>> ListNetworksAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>>? filters, CancellationToken cancellationToken) =>
        GetJsonAsync("networks?" + FiltersQuery(filters), Json.ListNetworkInspect, cancellationToken);

    /// <summary><c>POST /networks/{id}/connect</c>, optionally with a fixed address in <paramref name="endpoint"/>.</summary>
    public Task ConnectNetworkAsync(string network, string container, EndpointSettings? endpoint, CancellationToken cancellationToken) =>
        PostAsync($"networks/{Escape(network)}/connect",
            JsonSerializer.SerializeToUtf8Bytes(new NetworkConnectRequest { Container = container, EndpointConfig = endpoint },
                Json.NetworkConnectRequest),
            cancellationToken);

    /// <summary><c>POST /networks/{id}/disconnect</c>.</summary>
    public Task DisconnectNetworkAsync(string network, string container, bool force, CancellationToken cancellationToken) =>
        PostAsync($"networks/{Escape(network)}/disconnect",
            JsonSerializer.SerializeToUtf8Bytes(new NetworkDisconnectRequest { Container = container, Force = force },
                Json.NetworkDisconnectRequest),
            cancellationToken);

    /// <summary><c>DELETE /networks/{id}</c>; 403/409 while containers are attached.</summary>
    public Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken) =>
        DeleteAsync($"networks/{Escape(idOrName)}", cancellationToken);
}
