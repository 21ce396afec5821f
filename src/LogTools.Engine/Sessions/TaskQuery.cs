namespace LogTools.Engine.Sessions;

/// <summary>Filters of Get-LogTask; every one given must match.</summary>
public sealed class TaskQuery
{
    public string? TaskId { get; init; }

    public IReadOnlyCollection<LogTaskStatus>? Statuses { get; init; }

    public string? SessionId { get; init; }

    /// <summary>Only tasks completed today, in the local calendar.</summary>
    public bool CompletedToday { get; init; }

    /// <summary>Only tasks whose latest step (detected, started, completed or failed) is at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }
}
