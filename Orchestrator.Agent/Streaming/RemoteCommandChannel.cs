namespace Orchestrator.Agent.Streaming;

/// <summary>The first byte of every binary message of the <c>channel.k8s.io</c> protocols.</summary>
public static class RemoteCommandChannel
{
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    /// <summary>One JSON <c>metav1.Status</c> when the process ends.</summary>
    public const byte Error = 3;
    /// <summary><c>{"Width":W,"Height":H}</c> from the client.</summary>
    public const byte Resize = 4;
    /// <summary>v5: half-close of the stream whose id is the payload (<c>[255, 0]</c> = stdin EOF).</summary>
    public const byte Close = 255;
}
