namespace Orchestrator.Agent.Streaming.Spdy;

/// <summary>
/// One SPDY/3.1 frame as read: a control frame (<see cref="Type"/> is one of <see cref="SpdyFrameType"/>) or a data
/// frame of <see cref="StreamId"/>; <see cref="Payload"/> is everything after the 8-byte frame header.
/// </summary>
public sealed record SpdyFrame(bool IsControl, ushort Type, byte Flags, uint StreamId, byte[] Payload)
{
    public const byte FlagFin = 0x01;

    public bool Fin => (Flags & FlagFin) != 0;
}
