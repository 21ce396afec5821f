using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Runs;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>Get-LogRun: lists runs newest first, filtered by id, status, kind, workspace, configuration, time and severity.</summary>
[Cmdlet(VerbsCommon.Get, "LogRun", DefaultParameterSetName = RangeSet)]
[OutputType("LogTools.Engine.Runs.LogRun")]
public sealed class GetLogRunCommand : TimeWindowCmdlet
{
    private const string LastSet = "Last";

    /// <summary>A run id, or a pattern with wildcards.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    [Parameter]
    [ValidateSet("Queued", "Building", "Running", "Succeeded", "Failed", "Cancelled", "Abandoned")]
    public string[]? Status { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kind { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Workspace { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Configuration { get; set; }

    /// <summary>Runs created in the last span of time: 90m, 24h, 7d, 2w, or a TimeSpan.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LastSet)]
    [ValidateNotNullOrEmpty]
    public string? Last { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = TodaySet)]
    public override SwitchParameter Today { get; set; }

    /// <summary>Runs whose worst event is at least this severe.</summary>
    [Parameter]
    [ValidateSet("Debug", "Info", "Warning", "Error", "Critical")]
    public string? MinSeverity { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    protected override void Process() => ForInput(() =>
    {
        var (since, until) = TimeWindow.Resolve(Today, Last, Since, Until, TimeZoneInfo.Local, DateTimeOffset.UtcNow);
        var query = new RunQuery
        {
            RunId = RunId,
            Status = Status?.Select(ParseEnum<RunStatus>).ToList(),
            Kind = Kind,
            Workspace = Workspace,
            Configuration = Configuration,
            Since = since,
            Until = until,
            MinSeverity = MinSeverity is null ? null : ParseEnum<LogEventSeverity>(MinSeverity),
            First = First,
        };
        new RunLedger(OpenStore()).Find(query, WriteObject);
    });
}
