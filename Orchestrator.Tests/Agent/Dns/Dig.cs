using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Orchestrator.Tests.Agent.Dns;

/// <summary>
/// Runs the real dig (ISC BIND dnsutils) and parses the parts of its output the tests judge. dig is installed with
/// apt-get when missing; if that fails the test fails: end-to-end tests never skip silently.
/// </summary>
internal static partial class Dig
{
    private const string Path = "/usr/bin/dig";

    public sealed record Answer(string Name, int Ttl, string Class, string Type, string Data);

    public sealed record Result(string Output, string Status, string[] Flags, int AnswerCount, List<Answer> Answers, List<Answer> Authority)
    {
        public bool RetriedOverTcp => Output.Contains("Truncated, retrying in TCP mode", StringComparison.Ordinal);

        public bool Malformed =>
            Output.Contains("malformed", StringComparison.OrdinalIgnoreCase) || Output.Contains("Warning: Message parser", StringComparison.Ordinal)
            || Output.Contains("extra bytes at end", StringComparison.Ordinal) || Output.Contains("FORMERR", StringComparison.Ordinal)
            || Output.Contains("unexpected", StringComparison.OrdinalIgnoreCase);

        public bool HasOpt => Output.Contains("OPT PSEUDOSECTION", StringComparison.Ordinal);
    }

    public static Task<Result> RunAsync(int port, params string[] args) => RunAsync(port, args, allowFailure: false);

    /// <summary>Runs dig and returns its output without requiring success or a parseable answer.</summary>
    public static Task<Result> RunUncheckedAsync(int port, params string[] args) => RunAsync(port, args, allowFailure: true);

    private static async Task<Result> RunAsync(int port, string[] args, bool allowFailure)
    {
        await EnsureInstalledAsync();
        var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "@127.0.0.1", "-p", port.ToString(), "+tries=1", "+time=5" }.Concat(args)) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        if (allowFailure) return new Result(output, "", [], 0, [], []);
        if (process.ExitCode != 0) throw new Xunit.Sdk.XunitException($"dig {string.Join(' ', args)} exited {process.ExitCode}:\n{output}");
        return Parse(output);
    }

    private static Result Parse(string output)
    {
        // With a TC→TCP retry dig prints the truncated UDP header first; judge the last (final) response.
        var headers = HeaderRegex().Matches(output);
        if (headers.Count == 0) throw new Xunit.Sdk.XunitException($"no dig header in:\n{output}");
        var last = headers[^1];
        var tail = output[last.Index..];
        var flags = FlagsRegex().Match(tail);
        return new Result(
            output,
            last.Groups[1].Value,
            flags.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            int.Parse(flags.Groups[2].Value),
            Section(tail, "ANSWER"),
            Section(tail, "AUTHORITY"));
    }

    private static List<Answer> Section(string output, string title)
    {
        var start = output.IndexOf($";; {title} SECTION:\n", StringComparison.Ordinal);
        if (start < 0) return [];
        var lines = output[(start + title.Length + 13)..].Split('\n').TakeWhile(l => l.Trim().Length > 0);
        return lines.Select(l =>
        {
            var f = l.Split((char[])[' ', '\t'], 5, StringSplitOptions.RemoveEmptyEntries);
            return new Answer(f[0], int.Parse(f[1]), f[2], f[3], f[4].Trim());
        }).ToList();
    }

    private static async Task EnsureInstalledAsync()
    {
        if (File.Exists(Path)) return;
        // Installing is what CI must do anyway; doing it here too means a missing dig fails loudly or gets fixed.
        var psi = new ProcessStartInfo("apt-get", "install -y dnsutils") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        string log;
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            log = await p.StandardError.ReadToEndAsync() + await stdout;
            await p.WaitForExitAsync();
        }
        catch (Exception e)
        {
            log = e.Message;
        }

        if (!File.Exists(Path))
            throw new Xunit.Sdk.XunitException($"dig is missing and 'apt-get install -y dnsutils' did not provide it (CI={Environment.GetEnvironmentVariable("CI")}):\n{log}");
    }

    [GeneratedRegex(@"opcode: \w+, status: (\w+), id: \d+")]
    private static partial Regex HeaderRegex();

    [GeneratedRegex(@";; flags:([a-z ]*); QUERY: \d+, ANSWER: (\d+),")]
    private static partial Regex FlagsRegex();
}
