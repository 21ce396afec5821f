using System.Diagnostics;
using System.Globalization;
using LogTools.Engine.Ingest;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;
using LogTools.Engine.Tests.Support;
using LogTools.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LogTools.Engine.Tests.Ingest;

/// <summary>
/// Delta logging from a pipeline database in WAL mode (attached read-only, one INSERT … SELECT) against the same rows
/// in rollback-journal mode (read row by row): the same records, in the same order, and the pipeline never held up.
/// </summary>
public sealed class IngestDeltaTests : IDisposable
{
    private const string Rows =
        "CREATE TABLE files (id INTEGER, path TEXT, st, bytes, hash, err TEXT); " +
        "INSERT INTO files VALUES (1, 'src/a.c', 'processed', 10, 'aa', NULL), (2, 'src/b.c', 'SKIPPED', NULL, 7, NULL), " +
        "(3, 'src/c.c', 'Error', 30, NULL, 'ParseError'), (4, 'src/d.c', NULL, 40, 'dd', NULL), (5, 'src/e.c', 'processed', 50, 'ee', NULL);";

    private readonly TempFolder temp = new();
    private readonly LogStore store;
    private readonly IngestLedger ledger;

    public IngestDeltaTests()
    {
        store = TestBackend.Open(temp.Combine("store"));
        ledger = new IngestLedger(store);
    }

    public void Dispose() => temp.Dispose();

    [Theory]
    [Trait("Category", TestBackend.Category)]
    // What SQL maps itself: statuses in any case or absent, numbers, a number as content_hash, the query's own order.
    [InlineData("SELECT id AS file_id, path AS relpath, st AS status, bytes AS size_raw, hash AS content_hash, err AS error_type FROM files ORDER BY path DESC")]
    // What only the row-by-row reading decides: a relpath twice, a number in text, a real that is a whole number.
    [InlineData("SELECT path AS relpath FROM files UNION ALL SELECT path AS relpath FROM files")]
    [InlineData("SELECT path AS relpath, ' ' || bytes AS size_raw, 2.0 AS size_stored FROM files")]
    [InlineData("SELECT path AS RelPath, id AS File_Id FROM files -- a trailing comment")]
    public void The_pipeline_in_WAL_mode_gives_the_records_of_the_row_by_row_reading(string query)
    {
        var wal = Pipeline("wal.db", "PRAGMA journal_mode = WAL; " + Rows);
        var rollback = Pipeline("rollback.db", Rows);
        var (attached, byRow) = (Run(), Run());
        // One row already logged in each run: the delta leaves it out.
        ledger.Write(attached, "ast", [new IngestRecord { RelPath = "src/c.c" }]);
        ledger.Write(byRow, "ast", [new IngestRecord { RelPath = "src/c.c" }]);

        Assert.Equal(ledger.WriteDelta(byRow, "ast", rollback, query), ledger.WriteDelta(attached, "ast", wal, query));
        Assert.Equal(0, ledger.WriteDelta(attached, "ast", wal, query));

        Assert.Equal(Fields(byRow), Fields(attached));
        Assert.Equal(5, Fields(attached).Count);
    }

    [Theory]
    [Trait("Category", TestBackend.Category)]
    [InlineData("SELECT path AS relpath, 'done' AS status FROM files", "IngestStatusInvalid")]
    [InlineData("SELECT path AS relpath, 'big' AS size_raw FROM files", "IngestColumnInvalid")]
    [InlineData("SELECT ' ' AS relpath FROM files", "IngestRelPathMissing")]
    [InlineData("SELECT NULL AS relpath FROM files", "IngestRelPathMissing")]
    [InlineData("SELECT path AS relpath, bytes AS colour FROM files", "IngestQueryColumnUnknown")]
    [InlineData("SELECT path AS relpath FROM files;", null)]
    public void A_WAL_pipeline_reports_the_errors_of_the_row_by_row_reading_and_logs_nothing(string query, string? errorId)
    {
        var wal = Pipeline("wal.db", "PRAGMA journal_mode = WAL; " + Rows);
        var run = Run();

        if (errorId is null)
        {
            Assert.Equal(5, ledger.WriteDelta(run, "ast", wal, query));
            return;
        }

        Assert.Equal(errorId, Assert.Throws<LogToolsException>(() => ledger.WriteDelta(run, "ast", wal, query)).ErrorId);
        Assert.Empty(Fields(run));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void A_query_naming_a_table_of_the_store_reads_the_pipeline_table_of_that_name()
    {
        // The pipeline has a table named like one of the store's; attached beside the store, the name would be the store's.
        var wal = Pipeline("wal.db", "PRAGMA journal_mode = WAL; CREATE TABLE ingest_log (relpath TEXT); INSERT INTO ingest_log VALUES ('x.c'), ('y.c');");
        var run = Run();
        ledger.Write(run, "other", [new IngestRecord { RelPath = "z.c" }]);

        Assert.Equal(2, ledger.WriteDelta(run, "ast", wal, "SELECT relpath FROM ingest_log"));
        Assert.Equal(["z.c", "x.c", "y.c"], Fields(run).Select(f => f[0]));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Relpaths_compare_byte_for_byte_whatever_collation_the_pipeline_declares()
    {
        var wal = Pipeline("wal.db", "PRAGMA journal_mode = WAL; CREATE TABLE files (path TEXT COLLATE NOCASE); INSERT INTO files VALUES ('SRC/A.C'), ('src/b.c');");
        var run = Run();
        ledger.Write(run, "ast", [new IngestRecord { RelPath = "src/a.c" }]);

        Assert.Equal(2, ledger.WriteDelta(run, "ast", wal, "SELECT path AS relpath FROM files"));
        Assert.Equal(["src/a.c", "SRC/A.C", "src/b.c"], Fields(run).Select(f => f[0]));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void A_pipeline_writer_in_the_middle_of_a_transaction_is_neither_blocked_nor_blocking()
    {
        var wal = Pipeline("wal.db", "PRAGMA journal_mode = WAL; " + Rows);
        var before = File.ReadAllBytes(wal);
        using var writer = new SqliteConnection($"Data Source={wal};Pooling=False;Default Timeout=1");
        writer.Open();
        using var transaction = writer.BeginTransaction(deferred: false);
        using (var insert = writer.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO files (id, path) VALUES (6, 'src/f.c')";
            insert.ExecuteNonQuery();
        }

        var clock = Stopwatch.StartNew();
        Assert.Equal(5, ledger.WriteDelta(Run(), "ast", wal, "SELECT path AS relpath FROM files"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the delta waited {clock.Elapsed} for the pipeline's writer");

        // A delta holding the pipeline's write lock would make this commit, or the one after it, wait and fail.
        transaction.Commit();
        using (var more = writer.CreateCommand())
        {
            more.CommandText = "INSERT INTO files (id, path) VALUES (7, 'src/g.c')";
            more.ExecuteNonQuery();
        }

        Assert.Equal(before, File.ReadAllBytes(wal));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void A_delta_whose_query_starts_with_the_last_delta_rows_gives_the_records_of_the_row_by_row_reading()
    {
        var wal = Pipeline("wal.db", "PRAGMA journal_mode = WAL; " + Rows);
        var rollback = Pipeline("rollback.db", Rows);
        var (attached, byRow) = (Run(), Run());
        const string First = "SELECT id AS file_id, path AS relpath FROM files WHERE id <= 3 ORDER BY id";
        Assert.Equal(3, ledger.WriteDelta(attached, "ast", wal, First));
        Assert.Equal(3, ledger.WriteDelta(byRow, "ast", rollback, First));
        // Logged between the deltas, and returned after the first delta's rows: not logged twice.
        ledger.Write(attached, "ast", [new IngestRecord { RelPath = "src/e.c" }]);
        ledger.Write(byRow, "ast", [new IngestRecord { RelPath = "src/e.c" }]);

        // After the first delta's rows: a new one, the one logged since, the new one again, one of the first delta's again.
        const string Second = First + " ) UNION ALL SELECT * FROM ( SELECT id, path FROM files WHERE id >= 4 ORDER BY id ) " +
            "UNION ALL SELECT * FROM ( SELECT id, path FROM files WHERE id IN (1, 4) ORDER BY id";
        var query = $"SELECT * FROM ( {Second} )";
        Assert.Equal(1, ledger.WriteDelta(attached, "ast", wal, query));
        Assert.Equal(1, ledger.WriteDelta(byRow, "ast", rollback, query));

        Assert.Equal(Fields(byRow), Fields(attached));
        Assert.Equal(["src/a.c", "src/b.c", "src/c.c", "src/e.c", "src/d.c"], Fields(attached).Select(f => f[0]));
        Assert.Equal(0, ledger.WriteDelta(attached, "ast", wal, query));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void A_row_after_the_last_delta_rows_that_is_logged_already_is_not_logged_again()
    {
        var wal = Pipeline("wal.db", "PRAGMA journal_mode = WAL; " + Rows);
        var run = Run();
        const string First = "SELECT path AS relpath FROM files WHERE id <= 3 ORDER BY id";
        Assert.Equal(3, ledger.WriteDelta(run, "ast", wal, First));
        ledger.Write(run, "ast", [new IngestRecord { RelPath = "src/e.c" }]);

        // Each relpath once in the query: only src/d.c is new, and src/e.c keeps its one record.
        Assert.Equal(1, ledger.WriteDelta(run, "ast", wal, "SELECT path AS relpath FROM files ORDER BY id"));
        Assert.Equal(["src/a.c", "src/b.c", "src/c.c", "src/e.c", "src/d.c"], Fields(run).Select(f => f[0]));
        Assert.Equal(0, ledger.WriteDelta(run, "ast", wal, "SELECT path AS relpath FROM files ORDER BY id"));
    }

    [Fact]
    public void The_rows_of_the_last_delta_are_not_looked_up_again_and_any_other_order_is()
    {
        var wal = Pipeline("wal.db", "PRAGMA journal_mode = WAL; " + Rows);
        var run = Run();
        const string First = "SELECT path AS relpath FROM files WHERE id <= 3 ORDER BY id";
        ledger.WriteDelta(run, "ast", wal, First);
        // A record of the first delta removed behind the ledger's back: a delta starting with that delta's rows takes
        // them as logged (so it did not look them up), ...
        SqliteFile.Execute(store.Database.DatabasePath, "DELETE FROM ingest_log WHERE relpath = 'src/b.c'");

        Assert.Equal(1, ledger.WriteDelta(run, "ast", wal, "SELECT path AS relpath FROM files WHERE id <= 4 ORDER BY id"));
        Assert.Equal(["src/a.c", "src/c.c", "src/d.c"], Fields(run).Select(f => f[0]));

        // ... and one whose rows come in another order looks every one up.
        Assert.Equal(2, ledger.WriteDelta(run, "ast", wal, "SELECT path AS relpath FROM files ORDER BY id DESC"));
        Assert.Equal(["src/a.c", "src/c.c", "src/d.c", "src/e.c", "src/b.c"], Fields(run).Select(f => f[0]));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void A_row_after_the_last_delta_rows_that_the_row_by_row_reading_refuses_logs_nothing()
    {
        var wal = Pipeline("wal.db", "PRAGMA journal_mode = WAL; " + Rows);
        var run = Run();
        ledger.WriteDelta(run, "ast", wal, "SELECT path AS relpath, 'processed' AS status FROM files WHERE id <= 2 ORDER BY id");

        var error = Assert.Throws<LogToolsException>(() => ledger.WriteDelta(
            run, "ast", wal, "SELECT path AS relpath, CASE WHEN id = 4 THEN 'done' ELSE 'processed' END AS status FROM files ORDER BY id"));

        Assert.Equal("IngestStatusInvalid", error.ErrorId);
        Assert.Equal(["src/a.c", "src/b.c"], Fields(run).Select(f => f[0]));
        // The digest of the first delta still stands: the next delta takes its rows as logged and logs the rest.
        Assert.Equal(3, ledger.WriteDelta(run, "ast", wal, "SELECT path AS relpath FROM files ORDER BY id"));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void A_row_inserted_among_the_last_delta_rows_in_table_order_but_after_them_in_an_index_is_logged()
    {
        // Read for its relpath alone, the table comes in the order of its path index (m, n, z); read with every column,
        // in rowid order (m, z, n). The rows skipped as the last delta's must be the rows digested, in one order.
        var wal = Pipeline(
            "wal.db",
            "PRAGMA journal_mode = WAL; CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT, bytes INTEGER); CREATE INDEX files_path ON files (path); " +
            "INSERT INTO files VALUES (1, 'src/m.c', 1), (3, 'src/n.c', 3);");
        var run = Run();
        const string Query = "SELECT id AS file_id, path AS relpath, bytes AS size_raw FROM files";
        Assert.Equal(2, ledger.WriteDelta(run, "ast", wal, Query));
        SqliteFile.Execute(wal, "INSERT INTO files VALUES (2, 'src/z.c', 2)");

        Assert.Equal(1, ledger.WriteDelta(run, "ast", wal, Query));
        Assert.Equal(["src/m.c", "src/n.c", "src/z.c"], Fields(run).Select(f => f[0]).Order());
        Assert.Equal(0, ledger.WriteDelta(run, "ast", wal, Query));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void A_relpath_renamed_among_the_last_delta_rows_is_logged()
    {
        var wal = Pipeline("wal.db", "PRAGMA journal_mode = WAL; " + Rows);
        var run = Run();
        const string Query = "SELECT id AS file_id, path AS relpath FROM files ORDER BY id";
        Assert.Equal(5, ledger.WriteDelta(run, "ast", wal, Query));
        // Same count before the new row, another relpath in the middle: the first rows are no longer the last delta's.
        SqliteFile.Execute(wal, "UPDATE files SET path = 'src/renamed.c' WHERE id = 3; INSERT INTO files (id, path) VALUES (6, 'src/f.c');");

        Assert.Equal(2, ledger.WriteDelta(run, "ast", wal, Query));
        Assert.Equal(["src/a.c", "src/b.c", "src/c.c", "src/d.c", "src/e.c", "src/renamed.c", "src/f.c"], Fields(run).Select(f => f[0]));
        Assert.Equal(0, ledger.WriteDelta(run, "ast", wal, Query));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void The_rows_after_the_last_delta_rows_give_the_records_of_the_row_by_row_reading()
    {
        var wal = Pipeline("wal.db", "PRAGMA journal_mode = WAL; " + Rows);
        var rollback = Pipeline("rollback.db", Rows);
        var (attached, byRow) = (Run(), Run());
        // Every kind of value, and a column name given twice (the last one counts).
        const string Query =
            "SELECT id AS file_id, path AS relpath, st AS status, id AS size_raw, bytes AS size_raw, hash AS content_hash, err AS error_type, " +
            "x'00ff' AS error_msg FROM files WHERE id <= {0} ORDER BY id";
        foreach (var last in new[] { 2, 5 })
        {
            var query = string.Format(CultureInfo.InvariantCulture, Query, last).Replace("x'00ff'", "CASE WHEN id = 4 THEN 'blob' ELSE NULL END", StringComparison.Ordinal);
            Assert.Equal(ledger.WriteDelta(byRow, "ast", rollback, query), ledger.WriteDelta(attached, "ast", wal, query));
        }

        Assert.Equal(Fields(byRow), Fields(attached));
        Assert.Equal(5, Fields(attached).Count);
    }

    [Fact]
    public void A_delta_is_committed_and_leaves_copying_its_pages_into_the_store_file_to_the_next_write()
    {
        var wal = Pipeline("wal.db", "PRAGMA journal_mode = WAL; CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT); " +
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000) INSERT INTO files SELECT i, 'src/' || i || '.c' FROM n;");
        var run = Run();
        var file = store.Database.DatabasePath;
        // Another reader of the store (it holds its lock once it has read): the last connection to close would copy
        // the pages itself (SQLite's own rule), and other tests may close this process's pooled ones at any time.
        using var reader = new SqliteConnection($"Data Source={file};Pooling=False");
        reader.Open();
        using (var read = reader.CreateCommand())
        {
            read.CommandText = "SELECT count(*) FROM sqlite_schema";
            read.ExecuteScalar();
        }

        foreach (var (rows, logged) in new[] { (10_000, 10_000), (30_000, 20_000) })
        {
            // Hundreds of pages each, together over the 1,000 after which a commit used to copy them into the file.
            var before = new FileInfo(file).Length;
            Assert.Equal(logged, ledger.WriteDelta(run, "ast", wal, $"SELECT path AS relpath FROM files WHERE id <= {rows} ORDER BY id"));
            Assert.Equal(before, new FileInfo(file).Length);
            Assert.Equal((long)rows, SqliteFile.Scalar(file, "SELECT count(*) FROM ingest_log WHERE build_id = $b AND phase = 'ast'", ("$b", run)));
        }

        // The next write of the store copies them, as any commit over that bound does.
        var delta = new FileInfo(file).Length;
        ledger.Write(run, "parse", [new IngestRecord { RelPath = "src/1.c" }]);
        Assert.True(new FileInfo(file).Length > delta + 1_000_000, "the store's next commit did not copy the delta's pages into the file");
    }

    private string Pipeline(string name, string sql)
    {
        var path = temp.Combine(name);
        SqliteFile.Execute(path, sql);
        return path;
    }

    private string Run() => new RunLedger(store).Start(null, null, "test", RunStatus.Running).RunId;

    private List<string?[]> Fields(string run)
    {
        var records = new List<string?[]>();
        ledger.Find(run, null, null, null, r => records.Add(
            [r.RelPath, r.Status.ToString(), Text(r.SizeRaw), Text(r.SizeStored), r.ContentHash, Text(r.FileId),
             Text(r.ContentVersionId), r.ErrorType, r.ErrorMessage, r.Timestamp == default ? "no time" : "time"]));
        return records;
    }

    private static string? Text(long? number) => number?.ToString(CultureInfo.InvariantCulture);
}
