namespace LogTools.Engine.Sessions;

/// <summary>Filters of Get-LogEvent; every one given must match.</summary>
public sealed class EventQuery
{
    public IReadOnlyCollection<string>? Types { get; init; }

    /// <summary>Events of this severity or more serious.</summary>
    public LogEventSeverity? MinimumSeverity { get; init; }

    public string? ContextType { get; init; }

    public string? ContextId { get; init; }

    public string? SessionId { get; init; }

    /// <summary>Only today's events, in the local calendar (instead of Since and Until).</summary>
    public bool Today { get; init; }

    /// <summary>Events at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Events before this time.</summary>
    public DateTimeOffset? Until { get; init; }
}
