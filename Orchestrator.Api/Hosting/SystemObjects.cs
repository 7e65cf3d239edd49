using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Orchestrator.Api.Resources;
using Orchestrator.Core.Errors;
using Orchestrator.Core.Model;

namespace Orchestrator.Api.Hosting;

/// <summary>
/// The objects every cluster has, created at start-up when missing: the four system namespaces, the
/// <c>kubernetes</c> Service (first service IP, port 443) with Endpoints pointing at this server, and the
/// <c>kube-dns</c> Service at the cluster DNS IP (served by every node's agent, hence no selector).
/// </summary>
public sealed class SystemObjects(ResourceRegistry registry, ServerOptions options, ILogger<SystemObjects> log)
{
    private static readonly string[] Namespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    public async Task EnsureAsync(CancellationToken ct)
    {
        var catalog = registry.Catalog;
        var ns = catalog.FindByPlural("", "v1", "namespaces")!;
        foreach (var name in Namespaces)
            await CreateIfMissingAsync(ns, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } }, ct);

        var services = catalog.FindByPlural("", "v1", "services")!;
        await CreateIfMissingAsync(services, "default", new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes",
                ["labels"] = new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" },
            },
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["clusterIP"] = options.KubernetesServiceIp.ToString(),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = options.Port }),
            },
        }, ct);
        await CreateIfMissingAsync(services, "kube-system", new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = "kube-dns",
                ["labels"] = new JsonObject { ["k8s-app"] = "kube-dns", ["kubernetes.io/name"] = "CoreDNS", ["kubernetes.io/cluster-service"] = "true" },
            },
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["clusterIP"] = options.DnsServiceIp.ToString(),
                ["ports"] = new JsonArray(
                    new JsonObject { ["name"] = "dns", ["port"] = 53, ["protocol"] = "UDP", ["targetPort"] = 53 },
                    new JsonObject { ["name"] = "dns-tcp", ["port"] = 53, ["protocol"] = "TCP", ["targetPort"] = 53 }),
            },
        }, ct);

        await EnsureKubernetesEndpointsAsync(ct);
        await EnsureNetworkConfigAsync(ct);
    }

    /// <summary>
    /// The cluster's network settings for the agents (their proxy and DNS need the service CIDR for the unreachable
    /// route, the cluster CIDR and domain), as kubeadm keeps its ClusterConfiguration in kube-system. Kept up to date
    /// with this server's flags at every start.
    /// </summary>
    private async Task EnsureNetworkConfigAsync(CancellationToken ct)
    {
        var configMaps = registry.Catalog.FindByPlural("", "v1", "configmaps")!;
        var desired = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = NetworkConfigName, ["namespace"] = "kube-system" },
            ["data"] = new JsonObject
            {
                ["serviceCIDR"] = options.ServiceCidr,
                ["clusterCIDR"] = options.ClusterCidr,
                ["clusterDomain"] = options.ClusterDomain,
                ["clusterDNS"] = options.DnsServiceIp.ToString(),
            },
        };
        await CreateOrUpdatePartAsync(configMaps, desired, "data", ct);
    }

    /// <summary>The ConfigMap in kube-system holding the cluster's network settings for the agents.</summary>
    public const string NetworkConfigName = "orchestrator-network";

    /// <summary>The kubernetes Endpoints and EndpointSlice follow this server's address, which may change between restarts.</summary>
    private async Task EnsureKubernetesEndpointsAsync(CancellationToken ct)
    {
        var endpoints = registry.Catalog.FindByPlural("", "v1", "endpoints")!;
        var desired = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Endpoints",
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes", ["namespace"] = "default",
                ["labels"] = new JsonObject { ["endpointslice.kubernetes.io/skip-mirror"] = "true" },
            },
            ["subsets"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(new JsonObject { ["ip"] = AdvertiseAddress().ToString() }),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = options.Port, ["protocol"] = "TCP" }),
            }),
        };
        await CreateOrUpdatePartAsync(endpoints, desired, "subsets", ct);

        // kubectl describe reads EndpointSlices; like the upstream apiserver, this server writes its own slice (the
        // slice controller leaves it alone: the service has no selector and the slice is not labelled as its own).
        var slices = registry.Catalog.FindByPlural("discovery.k8s.io", "v1", "endpointslices")!;
        var slice = new JsonObject
        {
            ["apiVersion"] = "discovery.k8s.io/v1",
            ["kind"] = "EndpointSlice",
            ["metadata"] = new JsonObject
            {
                ["name"] = "kubernetes", ["namespace"] = "default",
                ["labels"] = new JsonObject
                {
                    ["kubernetes.io/service-name"] = "kubernetes",
                    ["endpointslice.kubernetes.io/managed-by"] = "orchestrator-apiserver",
                },
            },
            ["addressType"] = "IPv4",
            ["endpoints"] = new JsonArray(new JsonObject
            {
                ["addresses"] = new JsonArray(AdvertiseAddress().ToString()),
                ["conditions"] = new JsonObject { ["ready"] = true },
            }),
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = options.Port, ["protocol"] = "TCP" }),
        };
        await CreateOrUpdatePartAsync(slices, slice, "endpoints", ct);
    }

    /// <summary>Creates the object, or brings one top-level part of the stored one (the addresses) up to date.</summary>
    private async Task CreateOrUpdatePartAsync(Orchestrator.Core.Model.ResourceKind kind, JsonObject desired, string part, CancellationToken ct)
    {
        var ns = desired["metadata"].Str("namespace");
        var name = desired["metadata"].Str("name")!;
        var current = registry.TryGetStored(kind, ns, name);
        if (current == null)
        {
            await registry.CreateAsync(kind, ns, desired, WriteOptions.Default, ct);
            return;
        }
        var obj = current.Parse();
        if (JsonNode.DeepEquals(obj[part], desired[part])) return;
        obj[part] = desired[part]!.DeepClone();
        await registry.UpdateAsync(kind, ns, name, obj, null, WriteOptions.Default, ct);
    }

    /// <summary>The address pods and nodes reach this server on: the bind address, else the first non-loopback IPv4.</summary>
    private IPAddress AdvertiseAddress()
    {
        if (IPAddress.TryParse(options.Bind, out var bind) && !bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any))
            return bind;
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback) continue;
            foreach (var a in nic.GetIPProperties().UnicastAddresses)
                if (a.Address.AddressFamily == AddressFamily.InterNetwork) return a.Address;
        }
        return IPAddress.Loopback;
    }

    private async Task CreateIfMissingAsync(Orchestrator.Core.Model.ResourceKind kind, string? ns, JsonObject obj, CancellationToken ct)
    {
        var name = obj["metadata"]!["name"]!.GetValue<string>();
        if (registry.TryGetStored(kind, ns, name) != null) return;
        try
        {
            await registry.CreateAsync(kind, ns, obj, WriteOptions.Default, ct);
            log.LogInformation("Created system object {Kind} {Namespace}/{Name}", kind.Kind, ns, name);
        }
        catch (ApiException e) when (e.Reason == "AlreadyExists")
        {
        }
    }
}
