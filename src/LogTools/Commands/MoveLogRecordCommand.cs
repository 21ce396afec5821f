using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Move-LogRecord: moves records older than N days out of the active store into monthly archive
/// databases (&lt;store&gt;/archive/logs-YYYY-MM.db). Move (approved: "changes the location of a resource")
/// says that the records leave the store for another place, unchanged; LogRecord is what moves.
/// With -WhatIf it writes what would move, per month and table, and changes nothing.
/// </summary>
[Cmdlet(VerbsCommon.Move, "LogRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType("LogTools.Engine.Sessions.LogArchiveCount")]
public sealed class MoveLogRecordCommand : StoreCmdlet
{
    /// <summary>Writes the store: creates and migrates it when needed.</summary>
    protected override StoreAccess Access => StoreAccess.Write;

    /// <summary>Records older than this many days (before now minus the days) move.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 36500)]
    public int OlderThan { get; set; } = 90;

    protected override void End()
    {
        var store = OpenStore();
        var archive = new LogArchive(store);
        var cutoff = DateTimeOffset.UtcNow.AddDays(-OlderThan);
        var plan = archive.Plan(cutoff);
        var summary = plan.Count == 0
            ? "nothing to move"
            : string.Join("; ", plan.GroupBy(c => c.Month).Select(m => $"{m.Key}: " + string.Join(", ", m.Select(c => $"{c.Rows} {c.Table}"))));
        if (!ShouldProcess(store.Path, $"Move records before {cutoff.ToLocalTime():yyyy-MM-dd HH:mm} to monthly archives ({summary})"))
        {
            // -WhatIf: the objects say what would move.
            WriteObject(plan, enumerateCollection: true);
            return;
        }

        RunEngine(sink =>
        {
            foreach (var moved in archive.Move(cutoff, sink))
            {
                sink.Output(moved);
            }
        });
    }
}
