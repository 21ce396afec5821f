using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>Get-LogTask: tasks by id, status, session, completed today or changed since a time, with their duration.</summary>
[Cmdlet(VerbsCommon.Get, "LogTask")]
[OutputType("LogTools.Engine.Sessions.LogTask")]
public sealed class GetLogTaskCommand : TelemetryCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    public string? TaskId { get; set; }

    [Parameter]
    [ValidateSet("Detected", "Active", "Completed", "Failed")]
    public string[]? Status { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string? SessionId { get; set; }

    /// <summary>Only tasks completed today, in the local calendar.</summary>
    [Parameter]
    public SwitchParameter CompletedToday { get; set; }

    /// <summary>Only tasks whose latest step is at or after this time.</summary>
    [Parameter]
    [Alias("After")]
    public DateTime? Since { get; set; }

    protected override void ProcessRecord() => ForInput(() => new TaskLedger(OpenStore()).Find(
        new TaskQuery
        {
            TaskId = TaskId,
            Statuses = Status?.Select(ParseEnum<LogTaskStatus>).ToList(),
            SessionId = SessionId,
            CompletedToday = CompletedToday,
            Since = ToOffset(Since),
        },
        WriteObject));
}
