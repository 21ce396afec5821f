using LogTools.Engine.Sessions;

namespace LogTools.Engine.Runs;

/// <summary>An event to append: its type, time, and payload (the message, severity and stream go into the payload).</summary>
public sealed class NewRunEvent
{
    public required string Type { get; init; }

    public DateTimeOffset Time { get; init; }

    public string? Message { get; init; }

    public LogEventSeverity? Severity { get; init; }

    /// <summary>Where a console line came from (stdout, stderr), or null.</summary>
    public string? Stream { get; init; }

    /// <summary>More payload as JSON text (an object's properties are merged; any other value goes under "value").</summary>
    public string? PayloadJson { get; init; }
}
