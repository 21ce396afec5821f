namespace LogTools.Engine.Sessions;

/// <summary>Where a worker is in its life: Spawned, then Completed or Failed.</summary>
public enum LogWorkerStatus
{
    Spawned,
    Completed,
    Failed,
}
