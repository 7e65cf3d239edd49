using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Api.Printing;

namespace Orchestrator.Tests.Api.Printing;

public class PrintingServiceCollectionExtensionsTests
{
    [Fact]
    public void AddTablePrinting_UsesRegisteredTimeProvider()
    {
        var clock = new FixedTimeProvider(Print.Now);
        using var provider = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddTablePrinting().BuildServiceProvider();

        var printer = provider.GetRequiredService<TablePrinter>();
        var table = printer.BuildTable(Print.Kind("", "ConfigMap"),
            [System.Text.Json.Nodes.JsonNode.Parse("""{"metadata":{"name":"c","creationTimestamp":"CREATED"}}""".Replace("CREATED", Print.Minutes(3)))!.AsObject()],
            "1", null, false);

        Assert.Equal("3m", Print.Text(table["rows"]![0]!["cells"]![2]));
        Assert.Same(printer, provider.GetRequiredService<TablePrinter>());
    }

    [Fact]
    public void AddTablePrinting_WithoutClock_FallsBackToSystem()
    {
        using var provider = new ServiceCollection().AddTablePrinting().BuildServiceProvider();
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.NotNull(provider.GetRequiredService<TablePrinter>());
    }
}
