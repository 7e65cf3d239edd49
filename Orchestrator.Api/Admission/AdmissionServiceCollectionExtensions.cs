using System.Net;
using System.Numerics;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Networking;
using Orchestrator.Core.Validation;

namespace Orchestrator.Api.Admission;

public static class AdmissionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the admission steps in the order they must run, and the allocators as singletons.
    /// Metadata first (names), then kind-specific defaulting and validation, and Service admission last so
    /// that it can skip allocating when an earlier step already rejected the write.
    /// <see cref="ServiceAdmission"/> is also registered as an <see cref="IResourceLifecycleHook"/>.
    /// </summary>
    public static IServiceCollection AddAdmission(this IServiceCollection services, AdmissionOptions options)
    {
        if (Overlaps(options.ServiceCidr, options.ClusterCidr))
            throw new ArgumentException($"service CIDR {options.ServiceCidr} overlaps cluster CIDR {options.ClusterCidr}");

        services.AddSingleton(options);
        services.AddSingleton(_ => new ServiceIpAllocator(options.ServiceCidr, new Random()));
        services.AddSingleton(_ => NodePortAllocator.FromRange(options.NodePortRange, new Random()));
        services.AddSingleton<ServiceAdmission>();

        services.AddSingleton<IAdmissionStep, MetadataAdmission>();
        services.AddSingleton<IAdmissionStep, PodAdmission>();
        services.AddSingleton<IAdmissionStep, WorkloadAdmission>();
        services.AddSingleton<IAdmissionStep>(sp => sp.GetRequiredService<ServiceAdmission>());
        services.AddSingleton<IResourceLifecycleHook>(sp => sp.GetRequiredService<ServiceAdmission>());
        return services;
    }

    private static bool Overlaps(string a, string b)
    {
        if (!IpValidation.TryParseCidr(a, out var ipA, out var lenA))
            throw new ArgumentException($"invalid service CIDR \"{a}\"");
        if (!IpValidation.TryParseCidr(b, out var ipB, out var lenB))
            throw new ArgumentException($"invalid cluster CIDR \"{b}\"");
        if (ipA.AddressFamily != ipB.AddressFamily) return false;
        var bits = ipA.GetAddressBytes().Length * 8;
        var shorter = Math.Min(lenA, lenB);
        return Prefix(ipA, bits, shorter) == Prefix(ipB, bits, shorter);
    }

    private static BigInteger Prefix(IPAddress ip, int bits, int length) =>
        new BigInteger(ip.GetAddressBytes(), isUnsigned: true, isBigEndian: true) >> (bits - length);
}
