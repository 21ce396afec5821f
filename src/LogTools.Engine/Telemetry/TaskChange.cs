namespace LogTools.Engine.Sessions;

/// <summary>What Set-LogTask asks for: a status step and/or new field values for one task. Null means "leave as is".</summary>
public sealed class TaskChange
{
    public required string TaskId { get; init; }

    public LogTaskStatus? Status { get; init; }

    /// <summary>The session a new task belongs to; not used when the task exists.</summary>
    public string? SessionId { get; init; }

    public long? IssueNumber { get; init; }

    public string? Title { get; init; }

    public long? PrNumber { get; init; }

    /// <summary>When the step happened; now when null.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}
