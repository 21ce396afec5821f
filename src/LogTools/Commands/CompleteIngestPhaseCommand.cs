using System.Management.Automation;
using LogTools.Engine.Ingest;

namespace LogTools.Commands;

/// <summary>Complete-IngestPhase: records the end of a started phase with its counts (and the run event phase.completed).</summary>
[Cmdlet(VerbsLifecycle.Complete, "IngestPhase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Ingest.IngestPhase")]
public sealed class CompleteIngestPhaseCommand : IngestPhaseCmdlet
{
    /// <summary>What the phase produced, as the pipeline counts it (rows, ASTs, ...).</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long? RowsOut { get; set; }

    protected override string Action => "Complete the phase";

    protected override IngestPhase Step(IngestLedger ledger, string runId) => ledger.CompletePhase(runId, Phase, RowsOut);
}
