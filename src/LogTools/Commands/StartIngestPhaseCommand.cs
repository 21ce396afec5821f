using System.Management.Automation;
using LogTools.Engine.Ingest;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Start-IngestPhase: records the start of a phase of a run (and the run event phase.started).</summary>
[Cmdlet(VerbsLifecycle.Start, "IngestPhase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Ingest.IngestPhase")]
public sealed class StartIngestPhaseCommand : TelemetryCmdlet
{
    protected override StoreAccess Access => StoreAccess.Write;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Phase { get; set; } = string.Empty;

    /// <summary>The run; the current run (Start-LogRun) when absent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    protected override void ProcessRecord() => ForInput(() =>
    {
        var id = RunLedger.Require(RunId ?? CurrentLogRun.Get());
        if (ShouldProcess($"{id} {Phase}", "Start the phase"))
        {
            WriteObject(new IngestLedger(OpenStore()).StartPhase(id, Phase));
        }
    });
}
