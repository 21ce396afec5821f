namespace LogTools.Engine.Runs;

/// <summary>Where a run is in its life. <see cref="Abandoned"/> is never stored: it is a run left open by a process that is gone.</summary>
public enum RunStatus
{
    Queued,
    Building,
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Abandoned,
}
