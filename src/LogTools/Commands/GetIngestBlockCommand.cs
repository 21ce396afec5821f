using System.Management.Automation;
using LogTools.Engine.Ingest;

namespace LogTools.Commands;

/// <summary>Get-IngestBlock: the stored blocks of a run's phases (the current run's, or every run's when there is none).</summary>
[Cmdlet(VerbsCommon.Get, "IngestBlock")]
[OutputType("LogTools.Engine.Ingest.IngestBlock")]
public sealed class GetIngestBlockCommand : IngestQueryCmdlet
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, int.MaxValue)]
    public int? BlockNumber { get; set; }

    protected override void Process() => ForInput(() => new IngestLedger(OpenStore()).Blocks(TargetRun, Phase, BlockNumber, WriteObject));
}
