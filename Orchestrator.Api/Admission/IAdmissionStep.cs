namespace Orchestrator.Api.Admission;

/// <summary>
/// One admission step (defaulting, validation, allocation). Steps run in registration order;
/// each decides from <see cref="AdmissionRequest.Kind"/> whether it applies.
/// </summary>
public interface IAdmissionStep
{
    void Admit(AdmissionRequest request);
}
