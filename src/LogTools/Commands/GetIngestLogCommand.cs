using System.Management.Automation;
using LogTools.Engine.Ingest;

namespace LogTools.Commands;

/// <summary>Get-IngestLog: per-file records in log order, by run (the current one, or all), phase, status and relative path.</summary>
[Cmdlet(VerbsCommon.Get, "IngestLog")]
[OutputType("LogTools.Engine.Ingest.IngestRecord")]
public sealed class GetIngestLogCommand : IngestQueryCmdlet
{
    [Parameter]
    [ValidateSet("Processed", "Skipped", "Error")]
    public string? Status { get; set; }

    /// <summary>A relative path, or a pattern with wildcards (case-sensitive).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RelPath { get; set; }

    protected override void Process() => ForInput(() => new IngestLedger(OpenStore()).Find(
        TargetRun, Phase, Status is null ? null : ParseEnum<IngestStatus>(Status), RelPath, WriteObject));
}
