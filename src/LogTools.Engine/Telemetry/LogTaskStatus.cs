namespace LogTools.Engine.Sessions;

/// <summary>Where a task is in its life: Detected, then Active, then Completed or Failed.</summary>
public enum LogTaskStatus
{
    Detected,
    Active,
    Completed,
    Failed,
}
