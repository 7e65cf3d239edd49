using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Api.Admission;
using Orchestrator.Core.Networking;

namespace Orchestrator.Tests.Api.Admission;

public class AdmissionServiceCollectionExtensionsTests
{
    [Fact]
    public void AddAdmission_RegistersStepsInOrder_AndServiceHookIsSameInstance()
    {
        using var sp = new ServiceCollection().AddAdmission(new AdmissionOptions()).BuildServiceProvider();
        var steps = sp.GetServices<IAdmissionStep>().ToList();
        Assert.Equal([typeof(MetadataAdmission), typeof(PodAdmission), typeof(WorkloadAdmission), typeof(ServiceAdmission)],
            steps.Select(s => s.GetType()).ToList());
        Assert.Same(steps[^1], Assert.Single(sp.GetServices<IResourceLifecycleHook>()));
        Assert.Equal("10.96.0.0/12", sp.GetRequiredService<ServiceIpAllocator>().Cidr);
        Assert.Equal("30000-32767", sp.GetRequiredService<NodePortAllocator>().Range);
    }

    [Fact]
    public void AddAdmission_CustomRanges()
    {
        using var sp = new ServiceCollection()
            .AddAdmission(new AdmissionOptions { ServiceCidr = "10.43.0.0/16", NodePortRange = "31000-31999" })
            .BuildServiceProvider();
        Assert.Equal("10.43.0.0/16", sp.GetRequiredService<ServiceIpAllocator>().Cidr);
        Assert.Equal("31000-31999", sp.GetRequiredService<NodePortAllocator>().Range);
    }

    [Fact]
    public void AddAdmission_OverlappingCidrs_Throws()
    {
        Assert.Throws<ArgumentException>(() =>
            new ServiceCollection().AddAdmission(new AdmissionOptions { ServiceCidr = "10.0.0.0/8", ClusterCidr = "10.244.0.0/16" }));
    }
}
