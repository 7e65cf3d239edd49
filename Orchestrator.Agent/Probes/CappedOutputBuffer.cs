using System.Text;

namespace Orchestrator.Agent.Probes;

/// <summary>
/// Keeps the first bytes of a command's output stream up to a limit and drops the rest, like the kubelet's
/// LimitWriter: the stream is still read to its end, so the command never blocks on a full pipe.
/// </summary>
internal sealed class CappedOutputBuffer(int limit)
{
    private readonly MemoryStream _kept = new();

    public void Append(byte[] data)
    {
        var room = limit - (int)_kept.Length;
        if (room > 0)
            _kept.Write(data, 0, Math.Min(room, data.Length));
    }

    public string Text => Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
}
