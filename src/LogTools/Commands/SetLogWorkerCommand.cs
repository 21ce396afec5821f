using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Set-LogWorker: creates a worker (-Status Spawned) and records how it ended (Completed or Failed), with its
/// process id, exit code, task and conversation log file.
/// </summary>
[Cmdlet(VerbsCommon.Set, "LogWorker", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Sessions.LogWorker")]
public sealed class SetLogWorkerCommand : TelemetryStepCmdlet
{
    /// <summary>Writes the store: creates and migrates it when needed.</summary>
    protected override StoreAccess Access => StoreAccess.Write;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(WorkerIdCompleter))]
    public string WorkerId { get; set; } = string.Empty;

    [Parameter(Position = 1)]
    [ValidateSet("Spawned", "Completed", "Failed")]
    public string? Status { get; set; }

    /// <summary>The worker's operating-system process id.</summary>
    [Parameter]
    [Alias("Pid")]
    public long? ProcessId { get; set; }

    [Parameter]
    public long? ExitCode { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    public string? TaskId { get; set; }

    /// <summary>The worker's JSONL conversation; resolved against the current location and stored as a full path.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogFile { get; set; }

    protected override void Process() => Step(
        WorkerId,
        Status is null ? "Update the worker" : $"Set the worker's status to {Status}",
        () => new WorkerLedger(OpenStore()).Set(new WorkerChange
        {
            WorkerId = WorkerId,
            Status = Status is null ? null : ParseEnum<LogWorkerStatus>(Status),
            SessionId = SessionId ?? CurrentSessionId,
            TaskId = TaskId,
            ProcessId = ProcessId,
            ExitCode = ExitCode,
            LogFile = LogFile is null ? null : ResolveUserPath(LogFile),
            Timestamp = ToOffset(Timestamp),
        }));
}
