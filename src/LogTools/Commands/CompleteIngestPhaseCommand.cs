using System.Management.Automation;
using LogTools.Engine.Ingest;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Complete-IngestPhase: records the end of a started phase with its counts (and the run event phase.completed).</summary>
[Cmdlet(VerbsLifecycle.Complete, "IngestPhase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Ingest.IngestPhase")]
public sealed class CompleteIngestPhaseCommand : TelemetryCmdlet
{
    protected override StoreAccess Access => StoreAccess.Write;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Phase { get; set; } = string.Empty;

    /// <summary>The run; the current run (Start-LogRun) when absent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    /// <summary>What the phase produced, as the pipeline counts it (rows, ASTs, ...).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? RowsOut { get; set; }

    protected override void ProcessRecord() => ForInput(() =>
    {
        var id = RunLedger.Require(RunId ?? CurrentLogRun.Get());
        if (ShouldProcess($"{id} {Phase}", "Complete the phase"))
        {
            WriteObject(new IngestLedger(OpenStore()).CompletePhase(id, Phase, RowsOut));
        }
    });
}
