namespace Orchestrator.Agent.Network.Programming;

/// <summary>
/// One iptables rule: table, chain and the rule's arguments in the order <c>iptables -S</c> prints them (so a rule
/// read back compares equal token by token).
/// </summary>
public sealed record IptablesRule(string Table, string Chain, IReadOnlyList<string> Spec)
{
    public bool SameSpec(IReadOnlyList<string> other) => Spec.SequenceEqual(other, StringComparer.Ordinal);

    public override string ToString() => $"-t {Table} -A {Chain} {string.Join(' ', Spec)}";
}
