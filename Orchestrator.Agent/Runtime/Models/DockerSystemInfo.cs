namespace Orchestrator.Agent.Runtime;

/// <summary><c>GET /info</c>: the fields the agent reports on its Node.</summary>
public sealed class DockerSystemInfo
{
    public string? ID { get; set; }
    public string? Name { get; set; }
    public int NCPU { get; set; }
    public long MemTotal { get; set; }
    public string? OperatingSystem { get; set; }
    public string? OSType { get; set; }
    public string? KernelVersion { get; set; }
    public string? ServerVersion { get; set; }
    public string? DockerRootDir { get; set; }
    public string? CgroupDriver { get; set; }
    public string? CgroupVersion { get; set; }
    public int Containers { get; set; }
    public int ContainersRunning { get; set; }
    public int Images { get; set; }
}
