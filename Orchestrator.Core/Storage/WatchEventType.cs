namespace Orchestrator.Core.Storage;

public enum WatchEventType
{
    Added,
    Modified,
    Deleted,
}
