using System.Management.Automation;
using LogTools.Engine.Ingest;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Start-IngestPhase and Complete-IngestPhase: one step of a phase of a run (the current run when absent).</summary>
public abstract class IngestPhaseCmdlet : TelemetryCmdlet
{
    protected override StoreAccess Access => StoreAccess.Write;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Phase { get; set; } = string.Empty;

    /// <summary>The run; the current run (Start-LogRun) when absent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    /// <summary>What ShouldProcess says the step does ("Start the phase").</summary>
    protected abstract string Action { get; }

    protected abstract IngestPhase Step(IngestLedger ledger, string runId);

    protected override void Process() => ForInput(() =>
    {
        var id = RunLedger.Require(RunId ?? CurrentLogRun.Get());
        if (ShouldProcess($"{id} {Phase}", Action))
        {
            WriteObject(Step(new IngestLedger(OpenStore()), id));
        }
    });
}
