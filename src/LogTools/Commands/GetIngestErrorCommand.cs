using System.Management.Automation;
using LogTools.Engine.Ingest;

namespace LogTools.Commands;

/// <summary>Get-IngestError: the records with status error of a run (the current one, or all) and phase, with their error type and message.</summary>
[Cmdlet(VerbsCommon.Get, "IngestError")]
[OutputType("LogTools.Engine.Ingest.IngestRecord")]
public sealed class GetIngestErrorCommand : TelemetryCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Phase { get; set; }

    protected override void ProcessRecord() => ForInput(() =>
        new IngestLedger(OpenStore()).Find(RunId ?? CurrentLogRun.Get(), Phase, IngestStatus.Error, null, WriteObject));
}
