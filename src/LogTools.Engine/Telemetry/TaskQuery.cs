namespace LogTools.Engine.Sessions;

/// <summary>Filters of Get-LogTask; every one given must match.</summary>
public sealed class TaskQuery
{
    /// <summary>An id, or a pattern with wildcards.</summary>
    public string? TaskId { get; init; }

    public IReadOnlyCollection<LogTaskStatus>? Statuses { get; init; }

    public string? SessionId { get; init; }

    /// <summary>Only tasks completed today, in the local calendar (instead of Since and Until): a task's "today" is its completion.</summary>
    public bool Today { get; init; }

    /// <summary>Only tasks whose latest step (detected, started, completed or failed) is at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only tasks whose latest step is before this time.</summary>
    public DateTimeOffset? Until { get; init; }
}
