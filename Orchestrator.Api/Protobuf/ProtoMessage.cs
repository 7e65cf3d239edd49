using System.Collections.Frozen;

namespace Orchestrator.Api.Protobuf;

/// <summary>A message schema: its table key (e.g. <c>v1.PodSpec</c>) and its known fields by number.</summary>
public sealed class ProtoMessage
{
    public string Name { get; }
    public FrozenDictionary<int, ProtoField> Fields { get; }

    public ProtoMessage(string name, IEnumerable<ProtoField> fields)
    {
        Name = name;
        Fields = fields.ToFrozenDictionary(f => f.Number);
    }
}
