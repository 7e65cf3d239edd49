using System.Diagnostics;

namespace Orchestrator.Agent.Network.Programming;

/// <summary>Runs programs as child processes (no shell), reading stdout and stderr fully.</summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    public async Task<CommandResult> RunAsync(string program, IReadOnlyList<string> arguments, string? standardInput, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {program}");
        // Both pipes are drained while stdin is written, so a large batch never deadlocks on a full pipe.
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), ct);
                process.StandardInput.Close();
            }
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(); } catch (InvalidOperationException) { }
            throw;
        }
        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }
}
