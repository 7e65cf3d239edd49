namespace Orchestrator.Agent.Pods.Spec;

/// <summary>The kind of file a path names, as far as hostPath type checks care.</summary>
public enum UnixFileKind
{
    Missing,
    Regular,
    Directory,
    Socket,
    CharacterDevice,
    BlockDevice,
    Other,
}
