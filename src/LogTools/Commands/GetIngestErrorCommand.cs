using System.Management.Automation;
using LogTools.Engine.Ingest;

namespace LogTools.Commands;

/// <summary>Get-IngestError: the records with status error of a run (the current one, or all) and phase, with their error type and message.</summary>
[Cmdlet(VerbsCommon.Get, "IngestError")]
[OutputType("LogTools.Engine.Ingest.IngestRecord")]
public sealed class GetIngestErrorCommand : IngestQueryCmdlet
{
    protected override void Process() => ForInput(() => new IngestLedger(OpenStore()).Find(TargetRun, Phase, IngestStatus.Error, null, WriteObject));
}
