using System.Text.Json.Nodes;
using Orchestrator.Agent.Probes;

namespace Orchestrator.Tests.Agent.Probes;

public sealed class ProbeSettingsTests
{
    [Fact]
    public void Parse_EmptyProbe_HasTheApiDefaults()
    {
        var settings = ProbeSettings.Parse(new JsonObject(), ProbeKind.Readiness);

        Assert.Equal(TimeSpan.Zero, settings.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Period);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.Timeout);
        Assert.Equal(1, settings.SuccessThreshold);
        Assert.Equal(3, settings.FailureThreshold);
    }

    [Fact]
    public void Parse_ReadsEveryField()
    {
        var probe = new JsonObject
        {
            ["initialDelaySeconds"] = 7, ["periodSeconds"] = 3, ["timeoutSeconds"] = 2,
            ["successThreshold"] = 4, ["failureThreshold"] = 6,
        };

        var settings = ProbeSettings.Parse(probe, ProbeKind.Readiness);

        Assert.Equal((7, 3, 2, 4, 6), ((int)settings.InitialDelay.TotalSeconds, (int)settings.Period.TotalSeconds,
            (int)settings.Timeout.TotalSeconds, settings.SuccessThreshold, settings.FailureThreshold));
    }

    [Theory]
    [InlineData(ProbeKind.Liveness)]
    [InlineData(ProbeKind.Startup)]
    public void Parse_SuccessThreshold_IsOneForLivenessAndStartup(ProbeKind kind)
    {
        var settings = ProbeSettings.Parse(new JsonObject { ["successThreshold"] = 3 }, kind);

        Assert.Equal(1, settings.SuccessThreshold);
    }

    [Fact]
    public void Parse_NonsensePeriods_FallBackToDefaults()
    {
        var settings = ProbeSettings.Parse(new JsonObject { ["periodSeconds"] = 0, ["timeoutSeconds"] = -1 }, ProbeKind.Liveness);

        Assert.Equal(TimeSpan.FromSeconds(10), settings.Period);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.Timeout);
    }

    [Fact]
    public void For_FindsTheProbeOfEachKind()
    {
        var container = ProbeTargets.Container(liveness: new JsonObject { ["periodSeconds"] = 1 });

        Assert.NotNull(ProbeSettings.For(container, ProbeKind.Liveness));
        Assert.Null(ProbeSettings.For(container, ProbeKind.Readiness));
        Assert.Null(ProbeSettings.For(container, ProbeKind.Startup));
    }
}
