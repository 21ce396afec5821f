using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>Get-LogWorker: the worker timeline, each worker with its number of API calls and total tokens.</summary>
[Cmdlet(VerbsCommon.Get, "LogWorker")]
[OutputType("LogTools.Engine.Sessions.LogWorker")]
public sealed class GetLogWorkerCommand : TelemetryCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(WorkerIdCompleter))]
    [SupportsWildcards]
    public string? WorkerId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    [SupportsWildcards]
    public string? SessionId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    [SupportsWildcards]
    public string? TaskId { get; set; }

    [Parameter]
    [ValidateSet("Spawned", "Completed", "Failed")]
    public string[]? Status { get; set; }

    protected override void Process() => ForInput(() => new WorkerLedger(OpenStore()).Find(
        new WorkerQuery
        {
            WorkerId = WorkerId,
            SessionId = SessionId,
            TaskId = TaskId,
            Statuses = Status?.Select(ParseEnum<LogWorkerStatus>).ToList(),
        },
        WriteObject));
}
