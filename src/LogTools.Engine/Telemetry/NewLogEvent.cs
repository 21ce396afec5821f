namespace LogTools.Engine.Sessions;

/// <summary>What Write-LogEvent records.</summary>
public sealed class NewLogEvent
{
    /// <summary>The session to write into; required (the cmdlet passes the current session).</summary>
    public string? SessionId { get; init; }

    public required string Type { get; init; }

    public LogEventSeverity Severity { get; init; } = LogEventSeverity.Info;

    public required string Message { get; init; }

    public string? ContextType { get; init; }

    public string? ContextId { get; init; }

    /// <summary>Details as JSON text (see <see cref="DetailsJson"/>).</summary>
    public string? Details { get; init; }

    /// <summary>When it happened; now when null.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}
