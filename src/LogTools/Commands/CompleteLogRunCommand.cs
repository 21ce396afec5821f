using System.Collections;
using System.Management.Automation;
using LogTools.Engine.Runs;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Complete-LogRun: closes a run with its status, writes run.completed with the summary and records the log's BLAKE3.</summary>
[Cmdlet(VerbsLifecycle.Complete, "LogRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Runs.LogRun")]
public sealed class CompleteLogRunCommand : TelemetryCmdlet
{
    protected override StoreAccess Access => StoreAccess.Write;

    /// <summary>The run to complete; the current run when absent.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    [Parameter]
    [ValidateSet("Succeeded", "Failed", "Cancelled")]
    public string Status { get; set; } = "Succeeded";

    [Parameter]
    public int? ExitCode { get; set; }

    /// <summary>What the run produced (files, folders), recorded on the run.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] OutputPath { get; set; } = [];

    /// <summary>Your own summary values (input_file_count, table_count, row_count, ...), merged into the summary.</summary>
    [Parameter]
    public IDictionary? Summary { get; set; }

    protected override void Process() => ForInput(() =>
    {
        var id = RunLedger.Require(RunId ?? CurrentLogRun.Get());
        var summary = DetailsJson.Serialize(Summary, nameof(Summary), Unwrap);
        var outputs = OutputPath.Select(ResolveUserPath).ToList();
        if (ShouldProcess(id, $"Complete the run as {Status}"))
        {
            var run = new RunLedger(OpenStore()).Complete(id, ParseEnum<RunStatus>(Status), ExitCode, outputs, summary);
            if (CurrentLogRun.Get() == id)
            {
                CurrentLogRun.Set(null);
            }

            WriteObject(run);
        }
    });
}
