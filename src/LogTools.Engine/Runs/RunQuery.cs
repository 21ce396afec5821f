using LogTools.Engine.Sessions;

namespace LogTools.Engine.Runs;

/// <summary>The filters of Get-LogRun; every one is optional.</summary>
public sealed class RunQuery
{
    /// <summary>An id, or a pattern with PowerShell wildcards.</summary>
    public string? RunId { get; init; }

    public IReadOnlyCollection<RunStatus>? Status { get; init; }

    public string? Kind { get; init; }

    public string? Workspace { get; init; }

    public string? Configuration { get; init; }

    /// <summary>Created at or after.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Created before.</summary>
    public DateTimeOffset? Until { get; init; }

    public LogEventSeverity? MinSeverity { get; init; }

    /// <summary>At most this many runs, newest first.</summary>
    public int? First { get; init; }
}
