namespace Orchestrator.Agent.Probes;

/// <summary>
/// What a command run in a container left: its exit code (null when it did not finish in time), and its stdout and
/// stderr, each capped at <see cref="ExecAction.MaxOutputBytes"/>.
/// </summary>
public sealed record ExecOutput(int? ExitCode, string Stdout, string Stderr)
{
    public bool TimedOut => ExitCode is null;

    /// <summary>stdout then stderr, as the kubelet hands exec output to probes and hooks (capped at 10 KiB).</summary>
    public string Combined
    {
        get
        {
            var all = Stdout + Stderr;
            return all.Length <= ExecAction.MaxOutputBytes ? all : all[..ExecAction.MaxOutputBytes];
        }
    }
}
