using System.Management.Automation;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Test-LogStore: SQLite's integrity check of the store's databases and a check of the content files they point
/// to; writes each problem found, or with -Quiet only $true/$false. A store that passes is cleared of a
/// corruption mark, so writes are accepted again; one that fails is marked. With -WhatIf it checks and reports
/// but changes no mark.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "LogStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Store.StoreProblem", "System.Boolean")]
public sealed class TestLogStoreCommand : StoreCmdlet
{
    /// <summary>Write only $true (no problem) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <summary>The store is opened without reading its database: damage that would stop any other command is what this one reports.</summary>
    protected override StoreAccess Access => StoreAccess.Check;

    protected override void End()
    {
        var store = OpenStore();
        var problems = 0;
        var recordVerdict = ShouldProcess(store.Path, "Record the check's verdict: mark damaged databases corrupt, or clear the marks when nothing is wrong");
        WithProgress("Test-LogStore", $"Checking '{store.Path}'", report =>
        {
            foreach (var problem in StoreCheck.Run(store, report, recordVerdict, CancellationToken))
            {
                problems++;
                if (!Quiet)
                {
                    WriteObject(problem);
                }
            }
        });

        WriteVerbose(problems == 0 ? $"'{store.Path}' passed its checks." : $"'{store.Path}': {problems} problem(s).");
        if (Quiet)
        {
            WriteObject(problems == 0);
        }
    }
}
