using System.Text.Json.Nodes;
using Orchestrator.Agent.Pods.Spec;

namespace Orchestrator.Tests.Agent.Pods.Spec;

public sealed class PodDnsConfigTests
{
    private static readonly ResolvConf Node = ResolvConf.Parse("# node\nnameserver 192.0.2.53\nnameserver 192.0.2.54\nsearch lab.example. home.arpa\noptions edns0 ndots:2\n");

    private static string Render(JsonObject? spec, string ns = "shop", string clusterDns = "10.96.0.10", string domain = "cluster.local") =>
        PodDnsConfig.For(PodSpecTestData.Pod(ns: ns, spec: spec), Node, clusterDns, domain).Render();

    [Fact]
    public void ClusterFirst_IsTheDefault_ClusterSearchesThenTheNodes()
    {
        Assert.Equal(
            "nameserver 10.96.0.10\n" +
            "search shop.svc.cluster.local svc.cluster.local cluster.local lab.example home.arpa\n" +
            "options ndots:5\n",
            Render(null));
    }

    [Fact]
    public void ClusterDnsAddressAndDomain_AreSettable()
    {
        Assert.Equal(
            "nameserver 10.43.0.10\nsearch default.svc.home.lab svc.home.lab home.lab lab.example home.arpa\noptions ndots:5\n",
            Render(null, ns: "default", clusterDns: "10.43.0.10", domain: "home.lab"));
    }

    [Fact]
    public void Default_IsTheNodesResolvConf()
    {
        Assert.Equal("nameserver 192.0.2.53\nnameserver 192.0.2.54\nsearch lab.example home.arpa\noptions edns0 ndots:2\n",
            Render(new JsonObject { ["dnsPolicy"] = "Default" }));
    }

    [Fact]
    public void ClusterFirst_WithHostNetwork_FallsBackToTheNode_ClusterFirstWithHostNetDoesNot()
    {
        Assert.StartsWith("nameserver 192.0.2.53\n", Render(new JsonObject { ["hostNetwork"] = true }));
        Assert.StartsWith("nameserver 10.96.0.10\n",
            Render(new JsonObject { ["hostNetwork"] = true, ["dnsPolicy"] = "ClusterFirstWithHostNet" }));
    }

    [Fact]
    public void None_IsOnlyDnsConfig()
    {
        var spec = new JsonObject
        {
            ["dnsPolicy"] = "None",
            ["dnsConfig"] = new JsonObject
            {
                ["nameservers"] = new JsonArray("1.2.3.4"),
                ["searches"] = new JsonArray("ns1.svc.cluster-domain.example", "my.dns.search.suffix"),
                ["options"] = new JsonArray(new JsonObject { ["name"] = "ndots", ["value"] = "2" }, new JsonObject { ["name"] = "edns0" }),
            },
        };

        // The example of the Kubernetes "DNS for Services and Pods" page.
        Assert.Equal("nameserver 1.2.3.4\nsearch ns1.svc.cluster-domain.example my.dns.search.suffix\noptions ndots:2 edns0\n", Render(spec));
    }

    [Fact]
    public void DnsConfig_IsMergedIntoClusterFirst_DuplicatesDroppedOptionsReplacedByName()
    {
        var spec = new JsonObject
        {
            ["dnsConfig"] = new JsonObject
            {
                ["nameservers"] = new JsonArray("10.96.0.10", "192.0.2.1"),
                ["searches"] = new JsonArray("svc.cluster.local", "extra.example"),
                ["options"] = new JsonArray(new JsonObject { ["name"] = "ndots", ["value"] = "1" }, new JsonObject { ["name"] = "single-request" }),
            },
        };

        Assert.Equal(
            "nameserver 10.96.0.10\nnameserver 192.0.2.1\n" +
            "search shop.svc.cluster.local svc.cluster.local cluster.local lab.example home.arpa extra.example\n" +
            "options ndots:1 single-request\n",
            Render(spec));
    }

    [Fact]
    public void AtMostThreeNameservers()
    {
        var spec = new JsonObject
        {
            ["dnsConfig"] = new JsonObject { ["nameservers"] = new JsonArray("192.0.2.1", "192.0.2.2", "192.0.2.3") },
        };

        Assert.Equal(["10.96.0.10", "192.0.2.1", "192.0.2.2"],
            PodDnsConfig.For(PodSpecTestData.Pod(spec: spec), Node, "10.96.0.10", "cluster.local").Nameservers);
    }

    [Fact]
    public void ResolvConfParse_LastSearchWins_CommentsIgnored_OptionsMerged()
    {
        var parsed = ResolvConf.Parse("search a.example\nnameserver 1.1.1.1 # main\n; comment\nsearch b.example .\noptions ndots:1\noptions ndots:3 rotate\n");

        Assert.Equal(["1.1.1.1"], parsed.Nameservers);
        Assert.Equal(["b.example"], parsed.Searches);
        Assert.Equal(["ndots:3", "rotate"], parsed.Options);
    }

    [Fact]
    public void NodeResolvConf_SystemdStub_IsReplacedByTheUpstreamFile_WhenPresent()
    {
        using var data = new PodSpecTestData();
        File.WriteAllText(data.Options.HostResolvConfPath, "nameserver 127.0.0.53\nsearch lab.example\noptions edns0 trust-ad\n");
        var files = data.EtcFiles();

        var withoutUpstream = files.NodeResolvConf();
        File.WriteAllText(data.Options.SystemdResolvConfPath, "nameserver 192.0.2.1\nnameserver 192.0.2.2\n");
        var withUpstream = files.NodeResolvConf();

        Assert.Equal(["127.0.0.53"], withoutUpstream.Nameservers);
        Assert.Equal(["192.0.2.1", "192.0.2.2"], withUpstream.Nameservers);
        Assert.Equal(["lab.example"], withUpstream.Searches);
    }

    [Fact]
    public void EtcFiles_HostsGainsThePodIpInPlace_WithFqdnForSubdomainAndHostAliases()
    {
        using var data = new PodSpecTestData();
        var pod = PodSpecTestData.Pod(name: "web-0", spec: new JsonObject
        {
            ["hostname"] = "db-0",
            ["subdomain"] = "db",
            ["hostAliases"] = new JsonArray(new JsonObject { ["ip"] = "192.0.2.7", ["hostnames"] = new JsonArray("foo.local", "bar.local") }),
        });
        var files = data.EtcFiles();
        var volumes = data.VolumeDirectory(pod);

        files.WriteAll(pod, volumes, podIp: null);
        var hostsPath = PodEtcFiles.HostsPath(volumes);
        var before = File.ReadAllText(hostsPath);
        using (var held = File.OpenRead(hostsPath))
        {
            files.WriteHosts(pod, volumes, "10.244.1.5");
            // The open handle (like a bind mount) sees the new contents: same file, rewritten in place.
            using var reader = new StreamReader(held);
            Assert.Contains("10.244.1.5\tdb-0.db.shop.svc.cluster.local\tdb-0\n", reader.ReadToEnd());
        }

        Assert.DoesNotContain("db-0", before);
        Assert.StartsWith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n", before);
        Assert.Contains("# Entries added by HostAliases.\n192.0.2.7\tfoo.local\tbar.local\n", File.ReadAllText(hostsPath));
        Assert.Equal("db-0\n", File.ReadAllText(PodEtcFiles.HostnamePath(volumes)));
        Assert.StartsWith("nameserver 10.96.0.10\nsearch shop.svc.cluster.local", File.ReadAllText(PodEtcFiles.ResolvConfPath(volumes)));
        Assert.Equal(Path.GetDirectoryName(volumes), Path.GetDirectoryName(hostsPath));
    }

    [Fact]
    public void EtcFiles_HostNetwork_CopiesTheNodesHosts()
    {
        using var data = new PodSpecTestData();
        var pod = PodSpecTestData.Pod(spec: new JsonObject { ["hostNetwork"] = true });

        data.EtcFiles().WriteAll(pod, data.VolumeDirectory(pod), "192.168.77.10");

        Assert.Equal("# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n192.0.2.10 nas.lab.example\n",
            File.ReadAllText(PodEtcFiles.HostsPath(data.VolumeDirectory(pod))));
    }

    [Fact]
    public void Hostname_LongPodNamesAreCutTo63_WithoutTrailingDash()
    {
        var name = new string('a', 62) + "-b";
        var hostname = PodHostname.Of(PodSpecTestData.Pod(name: name), "cluster.local");

        Assert.Equal(new string('a', 62), hostname.Hostname);
        Assert.Null(hostname.Domain);
    }
}
