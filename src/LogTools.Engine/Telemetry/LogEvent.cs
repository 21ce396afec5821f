namespace LogTools.Engine.Sessions;

/// <summary>One event of the coordinator: a trigger, a decision, an error, a worktree operation...</summary>
public sealed class LogEvent
{
    public required long EventId { get; init; }

    public required string? SessionId { get; init; }

    public required DateTimeOffset Timestamp { get; init; }

    public required string Type { get; init; }

    public required LogEventSeverity Severity { get; init; }

    public required string Message { get; init; }

    /// <summary>What the event is about (task, worker, session...), with <see cref="ContextId"/>.</summary>
    public required string? ContextType { get; init; }

    public required string? ContextId { get; init; }

    /// <summary>The details given to Write-LogEvent, as data: $e.Details.key reads a value.</summary>
    public required DataMap? Details { get; init; }

    /// <summary>The same details as the JSON text stored.</summary>
    public required string? DetailsJson { get; init; }
}
