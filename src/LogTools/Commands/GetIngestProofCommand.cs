using System.Management.Automation;
using LogTools.Engine.Ingest;
using LogTools.Engine.Runs;

namespace LogTools.Commands;

/// <summary>Get-IngestProof: the inclusion proof of a file's record in a run (record, block and run root), verifiable offline by Test-IngestProof.</summary>
[Cmdlet(VerbsCommon.Get, "IngestProof")]
[OutputType("LogTools.Engine.Ingest.IngestProof")]
public sealed class GetIngestProofCommand : TelemetryCmdlet
{
    /// <summary>The run; the current run when absent.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    /// <summary>The file's relative path, as logged (exact).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string RelPath { get; set; } = string.Empty;

    /// <summary>Only the record of this phase; one proof a phase the file was logged in when absent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Phase { get; set; }

    protected override void ProcessRecord() => ForInput(() =>
    {
        foreach (var proof in new IngestAudit(OpenStore()).Proofs(RunLedger.Require(RunId ?? CurrentLogRun.Get()), RelPath, Phase))
        {
            WriteObject(proof);
        }
    });
}
