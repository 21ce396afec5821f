using LogTools.Engine.Ingest;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;
using LogTools.Engine.Tests.Support;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Ingest;

/// <summary>Removing a run (Remove-LogRun's retention) removes what Ingest hangs on it, through the Runs area's removal hook.</summary>
public sealed class IngestRunRemovalTests : IDisposable
{
    private static readonly string[] Tables = ["ingest_log", "ingest_blocks", "ingest_phases", "ingest_deltas"];

    private readonly TempFolder temp = new();
    private readonly LogStore store;
    private readonly string failed;
    private readonly string succeeded;

    public IngestRunRemovalTests()
    {
        store = LogStore.Open(temp.Combine("store"));
        var pipeline = temp.Combine("app.db");
        SqliteFile.Execute(pipeline, "PRAGMA journal_mode = WAL; CREATE TABLE files (path TEXT); INSERT INTO files VALUES ('src/a.c'), ('src/b.c');");
        failed = Run(pipeline, RunStatus.Failed);
        succeeded = Run(pipeline, RunStatus.Succeeded);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_removed_run_takes_its_records_blocks_phases_and_delta_digest_with_it_and_no_other_run_s()
    {
        Assert.Equal([3, 2, 2, 1], Rows(failed));

        var removed = new List<LogRun>();
        new RunMaintenance(store).Remove(TimeSpan.Zero, [RunStatus.Failed], null, _ => true, _ => true, removed.Add);

        Assert.Equal(failed, Assert.Single(removed).RunId);
        Assert.Equal([0, 0, 0, 0], Rows(failed));
        Assert.Equal([3, 2, 2, 1], Rows(succeeded));
    }

    [Fact]
    public void A_removal_not_approved_removes_nothing()
    {
        new RunMaintenance(store).Remove(TimeSpan.Zero, null, null, _ => false, _ => false, _ => Assert.Fail("nothing is removed"));

        Assert.Equal([3, 2, 2, 1], Rows(failed));
        Assert.Equal([3, 2, 2, 1], Rows(succeeded));
        Assert.Equal(RunStatus.Failed, new RunLedger(store).Get(failed).Status);
    }

    /// <summary>A completed run with two phases: a delta of the pipeline (started and completed) and a record written; its completion builds the blocks.</summary>
    private string Run(string pipeline, RunStatus status)
    {
        var runs = new RunLedger(store);
        var ledger = new IngestLedger(store);
        var run = runs.Start(null, null, "test", RunStatus.Running).RunId;
        ledger.StartPhase(run, "ast");
        Assert.Equal(2, ledger.WriteDelta(run, "ast", pipeline, "SELECT path AS relpath FROM files"));
        ledger.CompletePhase(run, "ast", null);
        ledger.Write(run, "mod", [new IngestRecord { RelPath = "src/c.c", Status = IngestStatus.Error }]);
        runs.Complete(run, status, null, [], null);
        return run;
    }

    /// <summary>The run's rows in each Ingest table, counted by SQLite itself.</summary>
    private int[] Rows(string run) =>
        [.. Tables.Select(table => (int)(long)SqliteFile.Scalar(store.Database.DatabasePath, $"SELECT count(*) FROM {table} WHERE build_id = $b", ("$b", run))!)];
}
