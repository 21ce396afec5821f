using System.Management.Automation;
using LogTools.Engine.Ingest;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Build-IngestBlock (Build is approved since PowerShell 6; PowerShellStandard has no constant for it): partitions each phase's records into blocks with totals and Merkle roots, and a root per phase.</summary>
[Cmdlet("Build", "IngestBlock", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Ingest.IngestPhase")]
public sealed class BuildIngestBlockCommand : TelemetryCmdlet
{
    protected override StoreAccess Access => StoreAccess.Write;

    /// <summary>The run; the current run (Start-LogRun) when absent.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    /// <summary>Records a block; each phase's stored size, or 500, when absent.</summary>
    [Parameter]
    public int? BlockSize { get; set; }

    /// <summary>Build for a run still in progress, or replace blocks that differ from the records.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void Process() => ForInput(() =>
    {
        var id = RunLedger.Require(RunId ?? CurrentLogRun.Get());
        if (ShouldProcess(id, "Build the ingest blocks"))
        {
            WithProgress("Build-IngestBlock", id, progress =>
            {
                foreach (var phase in new IngestAudit(OpenStore()).Build(id, BlockSize, Force, progress, CancellationToken))
                {
                    WriteObject(phase);
                }
            });
        }
    });
}
