using System.Management.Automation;
using LogTools.Engine.Ingest;
using LogTools.Engine.Runs;

namespace LogTools.Commands;

/// <summary>Get-IngestProof: the inclusion proof of a file's record in a run (record, block and run root), verifiable offline by Test-IngestProof.</summary>
[Cmdlet(VerbsCommon.Get, "IngestProof")]
[OutputType("LogTools.Engine.Ingest.IngestProof")]
public sealed class GetIngestProofCommand : IngestQueryCmdlet
{
    /// <summary>The file's relative path, as logged (exact).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string RelPath { get; set; } = string.Empty;

    protected override void Process() => ForInput(() =>
    {
        foreach (var proof in new IngestAudit(OpenStore()).Proofs(RunLedger.Require(TargetRun), RelPath, Phase))
        {
            WriteObject(proof);
        }
    });
}
