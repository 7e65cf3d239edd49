namespace Orchestrator.Api.Admission;

public enum AdmissionOperation
{
    Create,
    Update,
    Delete,
}
