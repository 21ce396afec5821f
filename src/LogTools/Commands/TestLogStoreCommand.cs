using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Test-LogStore: SQLite's integrity check of the store's databases and a check of the content files they point
/// to; writes each problem found, or with -Quiet only $true/$false. A store that passes is cleared of a
/// corruption mark, so writes are accepted again.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "LogStore")]
[OutputType("LogTools.Engine.Store.StoreProblem", "System.Boolean")]
public sealed class TestLogStoreCommand : StoreCmdlet
{
    /// <summary>Write only $true (no problem) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    protected override void EndProcessing()
    {
        var store = OpenStore();
        var progress = new ProgressRecord(1, "Test-LogStore", $"Checking '{store.Path}'");
        var problems = 0;
        try
        {
            foreach (var problem in StoreCheck.Run(store, path =>
            {
                progress.CurrentOperation = path;
                WriteProgress(progress);
            }))
            {
                problems++;
                if (!Quiet)
                {
                    WriteObject(problem);
                }
            }
        }
        catch (LogToolsException ex)
        {
            ThrowEngineError(ex);
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }

        WriteVerbose(problems == 0 ? $"'{store.Path}' passed its checks." : $"'{store.Path}': {problems} problem(s).");
        if (Quiet)
        {
            WriteObject(problems == 0);
        }
    }
}
