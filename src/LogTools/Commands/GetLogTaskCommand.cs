using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>Get-LogTask: tasks by id or pattern, status, session, and the time of their latest step, with their duration.</summary>
[Cmdlet(VerbsCommon.Get, "LogTask", DefaultParameterSetName = RangeSet)]
[OutputType("LogTools.Engine.Sessions.LogTask")]
public sealed class GetLogTaskCommand : TimeWindowCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    [SupportsWildcards]
    public string? TaskId { get; set; }

    [Parameter]
    [ValidateSet("Detected", "Active", "Completed", "Failed")]
    public string[]? Status { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    [SupportsWildcards]
    public string? SessionId { get; set; }

    /// <summary>Only tasks completed today (local calendar), as -CompletedToday, its older name, did.</summary>
    [Parameter(ParameterSetName = TodaySet, Mandatory = true)]
    [Alias("CompletedToday")]
    public override SwitchParameter Today { get; set; }

    protected override void Process() => ForInput(() => new TaskLedger(OpenStore()).Find(
        new TaskQuery
        {
            TaskId = TaskId,
            Statuses = Status?.Select(ParseEnum<LogTaskStatus>).ToList(),
            SessionId = SessionId,
            Today = Today,
            Since = ToOffset(Since),
            Until = ToOffset(Until),
        },
        WriteObject));
}
