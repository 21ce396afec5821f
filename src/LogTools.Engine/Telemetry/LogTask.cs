namespace LogTools.Engine.Sessions;

/// <summary>One task of a session (an issue being worked on) with the time of each step of its life.</summary>
public sealed class LogTask
{
    public required string TaskId { get; init; }

    public required string SessionId { get; init; }

    public required LogTaskStatus Status { get; init; }

    public required long? IssueNumber { get; init; }

    public required string? Title { get; init; }

    public required long? PrNumber { get; init; }

    public required DateTimeOffset DetectedAt { get; init; }

    public required DateTimeOffset? StartedAt { get; init; }

    public required DateTimeOffset? CompletedAt { get; init; }

    public required DateTimeOffset? FailedAt { get; init; }

    /// <summary>Started to completed or failed, or to the time of the query while active; null until started.</summary>
    public required TimeSpan? Duration { get; init; }
}
