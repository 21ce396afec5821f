using System.Management.Automation;
using LogTools.Engine.Ingest;

namespace LogTools.Commands;

/// <summary>Get-IngestLog: per-file records in log order, by run (the current one, or all), phase, status and relative path.</summary>
[Cmdlet(VerbsCommon.Get, "IngestLog")]
[OutputType("LogTools.Engine.Ingest.IngestRecord")]
public sealed class GetIngestLogCommand : TelemetryCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Phase { get; set; }

    [Parameter]
    [ValidateSet("Processed", "Skipped", "Error")]
    public string? Status { get; set; }

    /// <summary>A relative path, or a pattern with wildcards (case-sensitive).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RelPath { get; set; }

    protected override void ProcessRecord() => ForInput(() => new IngestLedger(OpenStore()).Find(
        RunId ?? CurrentLogRun.Get(), Phase, Status is null ? null : ParseEnum<IngestStatus>(Status), RelPath, WriteObject));
}
