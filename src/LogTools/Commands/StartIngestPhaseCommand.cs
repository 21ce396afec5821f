using System.Management.Automation;
using LogTools.Engine.Ingest;

namespace LogTools.Commands;

/// <summary>Start-IngestPhase: records the start of a phase of a run (and the run event phase.started).</summary>
[Cmdlet(VerbsLifecycle.Start, "IngestPhase", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Ingest.IngestPhase")]
public sealed class StartIngestPhaseCommand : IngestPhaseCmdlet
{
    protected override string Action => "Start the phase";

    protected override IngestPhase Step(IngestLedger ledger, string runId) => ledger.StartPhase(runId, Phase);
}
