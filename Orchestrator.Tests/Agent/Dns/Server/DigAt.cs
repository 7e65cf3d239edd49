using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Orchestrator.Tests.Agent.Dns.Server;

/// <summary>Runs /usr/bin/dig against a server on any loopback address and port and parses what the tests judge.</summary>
internal static partial class DigAt
{
    public sealed record Record(string Name, int Ttl, string Type, string Data)
    {
        public override string ToString() => $"{Name} {Ttl} {Type} {Data}";
    }

    public sealed record Result(string Output, string Status, string[] Flags, List<Record> Answers, List<Record> Authority, List<Record> Additional)
    {
        public bool RetriedOverTcp => Output.Contains("Truncated, retrying in TCP mode", StringComparison.Ordinal);

        public bool Malformed => Output.Contains("malformed", StringComparison.OrdinalIgnoreCase) || Output.Contains("Warning: Message parser", StringComparison.Ordinal);

        public string[] AnswerLines => Answers.Select(a => $"{a.Name} {a.Type} {a.Data}").ToArray();
    }

    public static async Task<Result> RunAsync(IPEndPoint server, params string[] args)
    {
        Assert.True(File.Exists("/usr/bin/dig"), "dig is missing: apt-get install -y dnsutils");
        var psi = new ProcessStartInfo("/usr/bin/dig") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { $"@{server.Address}", "-p", server.Port.ToString(), "+tries=1", "+time=5" }.Concat(args)) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout + await stderr;
        if (process.ExitCode != 0) throw new Xunit.Sdk.XunitException($"dig {string.Join(' ', args)} exited {process.ExitCode}:\n{output}");
        var headers = HeaderRegex().Matches(output);
        if (headers.Count == 0) throw new Xunit.Sdk.XunitException($"no dig header in:\n{output}");
        // After a TC → TCP retry dig prints both responses; the last one is the answer.
        var tail = output[headers[^1].Index..];
        return new Result(output, headers[^1].Groups[1].Value,
            FlagsRegex().Match(tail).Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            Section(tail, "ANSWER"), Section(tail, "AUTHORITY"), Section(tail, "ADDITIONAL"));
    }

    private static List<Record> Section(string output, string title)
    {
        var start = output.IndexOf($";; {title} SECTION:\n", StringComparison.Ordinal);
        if (start < 0) return [];
        return output[(start + title.Length + 13)..].Split('\n').TakeWhile(l => l.Trim().Length > 0)
            .Select(l => l.Split((char[])[' ', '\t'], 5, StringSplitOptions.RemoveEmptyEntries))
            .Select(f => new Record(f[0], int.Parse(f[1]), f[3], f[4].Trim()))
            .ToList();
    }

    [GeneratedRegex(@"opcode: \w+, status: (\w+), id: \d+")]
    private static partial Regex HeaderRegex();

    [GeneratedRegex(@";; flags:([a-z ]*); QUERY:")]
    private static partial Regex FlagsRegex();
}
