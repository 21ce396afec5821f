using System.Management.Automation;
using LogTools.Engine.Ingest;

namespace LogTools.Commands;

/// <summary>Test-IngestBlock: recomputes blocks and phase roots from ingest_log and reports each as Ok or Mismatch; -Content re-hashes the files.</summary>
[Cmdlet(VerbsDiagnostic.Test, "IngestBlock")]
[OutputType("LogTools.Engine.Ingest.IngestCheck")]
public sealed class TestIngestBlockCommand : IngestQueryCmdlet
{
    /// <summary>Also re-hash the files (relative paths from -Root) and report those whose content changed or is gone.</summary>
    [Parameter]
    public SwitchParameter Content { get; set; }

    /// <summary>The folder the records' relative paths start from; the current location when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Root { get; set; }

    protected override void Process() => ForInput(() =>
    {
        var root = Content ? ResolveUserPath(Root ?? ".") : null;
        var store = OpenStore();
        WithProgress("Test-IngestBlock", "Recomputing blocks", progress => new IngestAudit(store).Verify(TargetRun, Phase, root, progress, WriteObject, CancellationToken));
    });
}
