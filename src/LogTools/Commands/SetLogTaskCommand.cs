using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Set-LogTask: creates a task (-Status Detected, or Active) and moves it on (Active, then Completed or Failed),
/// stamping the time of each step; also sets its issue, title and pull request.
/// </summary>
[Cmdlet(VerbsCommon.Set, "LogTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Sessions.LogTask")]
public sealed class SetLogTaskCommand : TelemetryStepCmdlet
{
    /// <summary>Writes the store: creates and migrates it when needed.</summary>
    protected override StoreAccess Access => StoreAccess.Write;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    public string TaskId { get; set; } = string.Empty;

    [Parameter(Position = 1)]
    [ValidateSet("Detected", "Active", "Completed", "Failed")]
    public string? Status { get; set; }

    [Parameter]
    public long? IssueNumber { get; set; }

    [Parameter]
    public string? Title { get; set; }

    [Parameter]
    public long? PrNumber { get; set; }

    protected override void Process() => Step(
        TaskId,
        Status is null ? "Update the task" : $"Set the task's status to {Status}",
        () => new TaskLedger(OpenStore()).Set(new TaskChange
        {
            TaskId = TaskId,
            Status = Status is null ? null : ParseEnum<LogTaskStatus>(Status),
            SessionId = SessionId ?? CurrentSessionId,
            IssueNumber = IssueNumber,
            Title = Title,
            PrNumber = PrNumber,
            Timestamp = ToOffset(Timestamp),
        }));
}
