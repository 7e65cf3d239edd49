using System.Diagnostics;

namespace Orchestrator.Tests.Support;

/// <summary>Runs a program on this host (ip, dig, curl) with a time limit and returns its exit code and output, failure included.</summary>
public static class HostCommand
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public Result Ok() => ExitCode == 0 ? this : throw new Xunit.Sdk.XunitException($"exit {ExitCode}: {StdOut}{StdErr}");
    }

    public static Task<Result> RunAsync(string file, params string[] args) => RunAsync(TimeSpan.FromSeconds(60), file, args);

    public static async Task<Result> RunAsync(TimeSpan limit, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {file}");
        using var timeout = new CancellationTokenSource(limit);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{file} {string.Join(' ', args)} did not finish within {limit}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
