using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>Get-LogEvent: events in time order, by type, minimum severity, context, session and time window.</summary>
[Cmdlet(VerbsCommon.Get, "LogEvent", DefaultParameterSetName = RangeSet)]
[OutputType("LogTools.Engine.Sessions.LogEvent")]
public sealed class GetLogEventCommand : TimeWindowCmdlet
{
    private const string LastSet = "Last";

    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[]? Type { get; set; }

    /// <summary>The least serious severity to return: Warning returns Warning, Error and Critical.</summary>
    [Parameter]
    [ValidateSet("Debug", "Info", "Warning", "Error", "Critical")]
    public string? Severity { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ContextType { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string? ContextId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    [SupportsWildcards]
    public string? SessionId { get; set; }

    /// <summary>Only events of the last span of time: 90s, 15m, 24h, 7d, or a TimeSpan.</summary>
    [Parameter(ParameterSetName = LastSet, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Last { get; set; } = string.Empty;

    /// <summary>Only today's events (local calendar).</summary>
    [Parameter(ParameterSetName = TodaySet, Mandatory = true)]
    public override SwitchParameter Today { get; set; }

    protected override void Process() => ForInput(() =>
    {
        var since = ParameterSetName == LastSet ? DateTimeOffset.UtcNow - TimeWindow.Parse(Last) : ToOffset(Since);
        new EventLedger(OpenStore()).Find(
            new EventQuery
            {
                Types = Type,
                MinimumSeverity = Severity is null ? null : ParseEnum<LogEventSeverity>(Severity),
                ContextType = ContextType,
                ContextId = ContextId,
                SessionId = SessionId,
                Today = Today,
                Since = since,
                Until = ToOffset(Until),
            },
            WriteObject);
    });
}
