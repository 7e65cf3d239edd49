namespace Orchestrator.Agent.Runtime;

/// <summary>The stream ids of Docker's multiplexed frame header (byte 0). A Tty stream is all <see cref="Stdout"/>.</summary>
public enum StdStream : byte
{
    Stdin = 0,
    Stdout = 1,
    Stderr = 2,
}
