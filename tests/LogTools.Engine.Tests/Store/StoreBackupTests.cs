using LogTools.Engine.Store;
using LogTools.Engine.Tests.Support;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Store;

/// <summary>Backup-LogStore's copy of a SQLite store database: stoppable, and one snapshot while others write.</summary>
public sealed class StoreBackupTests : IDisposable
{
    private const int FillerRows = 16_000;

    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_stop_during_the_database_copy_ends_it_instead_of_copying_the_rest_and_the_partial_copy_holds_nothing()
    {
        var store = FilledStore();
        var copy = temp.Combine("copy.db");
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => store.Database.BackupTo(copy, stop.Token));

        // The partial copy (the caller removes it) is rolled back whole: no half database with some of the pages.
        Assert.True(new FileInfo(store.Database.DatabasePath).Length > 60L << 20);
        Assert.Equal(0L, Convert.ToInt64(SqliteFile.Scalar(copy, "SELECT count(*) FROM sqlite_schema")));
    }

    [Fact]
    public void A_stopped_backup_leaves_no_folder_beside_the_destination_and_the_store_as_it_was()
    {
        var store = FilledStore();
        var parent = Directory.CreateDirectory(temp.Combine("backups")).FullName;
        var before = Rows(store.Database.DatabasePath);
        using var stop = new CancellationTokenSource();
        stop.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => StoreBackup.Create(store, Path.Combine(parent, "b1"), cancellationToken: stop.Token));

        Assert.Empty(Directory.EnumerateFileSystemEntries(parent));
        Assert.Equal(before, Rows(store.Database.DatabasePath));
        var result = StoreBackup.Create(store, Path.Combine(parent, "b2"));
        Assert.Equal(before, Rows(Path.Combine(result.Path, LogStore.DatabaseFileName)));
    }

    [Fact]
    public void A_backup_taken_while_another_process_commits_all_the_time_finishes_and_is_one_snapshot()
    {
        var store = FilledStore();
        var path = store.Database.DatabasePath;
        SqliteFile.Execute(path, "CREATE TABLE ticks(n INTEGER)");
        using var done = new CancellationTokenSource();
        var commits = 0;
        Exception? writerFailure = null;

        // A writer of its own (another connection, as another process) committing one row at a time: a copy that
        // started over at each commit it saw would never end.
        var writer = new Thread(() =>
        {
            try
            {
                while (!done.IsCancellationRequested)
                {
                    SqliteFile.Execute(path, "INSERT INTO ticks VALUES (1)");
                    Interlocked.Increment(ref commits);
                }
            }
            catch (Exception ex)
            {
                // Reported by the test, not left to end the test process.
                writerFailure = ex;
            }
        });
        writer.Start();
        long atStart, atEnd;
        StoreBackupResult result;
        try
        {
            while (Volatile.Read(ref commits) < 20 && writer.IsAlive)
            {
                Thread.Sleep(1);
            }

            atStart = Convert.ToInt64(SqliteFile.Scalar(path, "SELECT count(*) FROM ticks"));
            // A copy that never ends fails here as a stop after a minute (it takes well under a second).
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            result = StoreBackup.Create(store, temp.Combine("backup"), cancellationToken: limit.Token);
            atEnd = Convert.ToInt64(SqliteFile.Scalar(path, "SELECT count(*) FROM ticks"));
        }
        finally
        {
            done.Cancel();
            writer.Join();
        }

        Assert.Null(writerFailure);
        var copy = Path.Combine(result.Path, LogStore.DatabaseFileName);
        var copied = Convert.ToInt64(SqliteFile.Scalar(copy, "SELECT count(*) FROM ticks"));
        Assert.True(atEnd > atStart, "The writer committed nothing during the backup.");
        Assert.InRange(copied, atStart, atEnd);
        Assert.Equal((long)FillerRows, Rows(copy));
        Assert.Equal("ok", SqliteFile.Scalar(copy, "PRAGMA integrity_check"));
    }

    /// <summary>A store whose database holds 64 MiB besides its schema: sixteen steps of the copy.</summary>
    private LogStore FilledStore()
    {
        var store = LogStore.Open(temp.Combine("store"));
        store.Database.Write((connection, transaction) => Sql.Scalar(
            connection, transaction,
            $"CREATE TABLE filler(b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {FillerRows}) INSERT INTO filler SELECT randomblob(4000) FROM n"));
        return store;
    }

    private static long Rows(string database) => Convert.ToInt64(SqliteFile.Scalar(database, "SELECT count(*) FROM filler"));
}
