using System.Text;
using Orchestrator.Simulator;

namespace Orchestrator.Tests.Simulator;

public class SimulatorConfigTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("1s", 1000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1500)]
    [InlineData("2m", 120_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    public void Durations_Valid(string text, double ms) => Assert.Equal(TimeSpan.FromMilliseconds(ms), Durations.Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("s")]
    [InlineData("1d")]
    [InlineData("-1s")]
    [InlineData("1s junk")]
    public void Durations_Invalid(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void Kubeconfig_ReadsServerCaAndTokenOfTheCurrentContext()
    {
        var ca = Convert.ToBase64String(Encoding.UTF8.GetBytes("-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n"));
        var yaml = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: other
              cluster:
                server: https://10.0.0.1:6443
                certificate-authority-data: {ca}
            - name: orchestrator
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority-data: {ca}
            users:
            - name: nobody
              user:
                token: wrong
            - name: admin
              user:
                token: s3cret
            contexts:
            - name: orchestrator
              context:
                cluster: orchestrator
                user: admin
            current-context: orchestrator
            """;
        var k = Kubeconfig.Parse(yaml);
        Assert.Equal(new Uri("https://127.0.0.1:6443"), k.Server);
        Assert.Equal("s3cret", k.Token);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", k.CaPem);
    }

    [Theory]
    [InlineData(0, "10.244.0.0/24", "10.255.0.1")]
    [InlineData(5, "10.244.5.0/24", "10.255.0.6")]
    [InlineData(255, "10.244.255.0/24", "10.255.1.0")]
    [InlineData(300, "10.245.44.0/24", "10.255.1.45")]
    public void SimulatedNode_AddressesByOrdinal(int index, string cidr, string internalIp)
    {
        var n = new SimulatedNode("sim-" + index, index);
        Assert.Equal(cidr, n.PodCidr);
        Assert.Equal(internalIp, n.InternalIp);
    }

    [Fact]
    public void Options_Invalid_Rejected()
    {
        Assert.Throws<ArgumentException>(() => new SimulatorOptions { NodeCount = 0 }.Validate());
        Assert.Throws<ArgumentException>(() => new SimulatorOptions { Memory = "lots" }.Validate());
    }
}
