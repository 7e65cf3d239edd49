namespace Orchestrator.Core.Labels;

/// <summary>Operators of a label selector requirement, as in the Kubernetes selector grammar.</summary>
public enum SelectorOperator
{
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}
