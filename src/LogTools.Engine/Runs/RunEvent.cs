using LogTools.Engine.Sessions;

namespace LogTools.Engine.Runs;

/// <summary>One event of a run's log, as Get-RunEvent streams it.</summary>
public sealed class RunEvent
{
    public required string RunId { get; init; }

    public long Sequence { get; init; }

    public DateTimeOffset Time { get; init; }

    public required string Type { get; init; }

    /// <summary>payload.message, when the event has one (console lines, messages).</summary>
    public string? Message { get; init; }

    /// <summary>payload.severity, when the event has one.</summary>
    public LogEventSeverity? Severity { get; init; }

    public DataMap? Payload { get; init; }

    /// <summary>The line number in the log (1-based), for errors and hand inspection.</summary>
    public long LineNumber { get; init; }
}
