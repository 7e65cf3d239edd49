namespace Orchestrator.Tests.Api.Printing;

/// <summary>A clock stopped at one instant, so relative times in tables are deterministic.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
