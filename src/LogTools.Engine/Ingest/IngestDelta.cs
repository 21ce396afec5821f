using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using LogTools.Engine.Hashing;
using LogTools.Engine.Store;
using static LogTools.Engine.Store.Sql;

namespace LogTools.Engine.Ingest;

/// <summary>
/// Delta logging with the pipeline's database attached read-only beside the store. The query's rows are read once; when
/// the first of them are the rows of the run's last delta of the phase (their count and a BLAKE3 of their relpaths in
/// order, kept in ingest_deltas), they are all logged, and one INSERT … SELECT takes only the rows after them, then
/// each new record is looked up in the store's (build_id, phase, relpath) index. Otherwise one INSERT … SELECT … WHERE
/// relpath NOT IN (the phase's relpaths, read from that covering index into one transient index, which measured a
/// third cheaper than a NOT EXISTS probe a row) takes them all: that anti-join against every relpath logged is what
/// kept a delta of 100,000 new rows after 900,000 logged above 2 s. Columns are mapped by name in SQL and compared as
/// the row-by-row reading compares them (BINARY, whatever collation the pipeline's column declares). It takes only what
/// it decides exactly as the row-by-row reading does; for anything else (a status or number to parse, a relpath that
/// may be blank or is not text, a relpath twice in the query) it logs nothing and returns
/// null, and the caller reads the rows one by one, which also words every error.
/// </summary>
internal static class IngestDelta
{
    private const string Schema = "ingest_pipeline";

    /// <summary>The number of records logged, or null when the rows must be read one by one.</summary>
    public static int? Write(LogStore store, string runId, string phase, string databasePath, string query, DateTimeOffset now, TimeSpan busyTimeout)
    {
        if (store.Database.Backend != "SQLite" || Columns(databasePath, query, busyTimeout) is not { } names)
        {
            return null;
        }

        int[] map;
        try
        {
            map = IngestLedger.MapColumns(names, query);
        }
        catch (LogToolsException)
        {
            return null;
        }

        return store.Database.WriteReadOnlyAttached(Schema, databasePath, (connection, transaction) =>
        {
            // Unqualified names resolve to the store before the attached database: a query naming anything of the
            // store (or SQLite's own tables) could read the store's rows instead of the pipeline's.
            var text = query.ToLowerInvariant();
            var shadowed = text.Contains("sqlite_", StringComparison.Ordinal) || text.Contains("pragma_", StringComparison.Ordinal);
            ForEach(
                connection, transaction, "SELECT name FROM main.sqlite_schema UNION ALL SELECT name FROM temp.sqlite_schema", [],
                r => shadowed |= text.Contains(r.GetString(0).ToLowerInvariant(), StringComparison.Ordinal));
            if (shadowed)
            {
                return null;
            }

            // Whatever it leaves to the row-by-row reading, it leaves nothing logged.
            Execute(connection, transaction, "SAVEPOINT ingest_delta");
            int? count;
            try
            {
                count = Delta(store, connection, transaction, runId, phase, names, map, query, StoreTime.ToText(now));
            }
            catch (DbException)
            {
                // A row it cannot decide (its relpath set to NULL, against NOT NULL) or a failure reading the pipeline:
                // the row-by-row reading reports what it is.
                count = null;
            }

            Execute(connection, transaction, count is null ? "ROLLBACK TO ingest_delta" : "RELEASE ingest_delta");
            return count;
        });
    }

    /// <summary>
    /// One pass over the query's relpaths digests them in order. When its first rows are those of the last delta of this
    /// run and phase (same count, same digest), they are all logged, and one INSERT … SELECT takes the rows after them,
    /// each then looked up in the store's index; otherwise one INSERT … SELECT … NOT IN takes them all. The digest of all the
    /// rows is kept for the next delta.
    /// </summary>
    /// <remarks>
    /// The pass and the INSERT read the same subquery text, which SQLite never flattens into the statement around it (it
    /// has an OFFSET), over the same snapshot of the pipeline (one transaction): the same rows in the same order, so
    /// the rows the INSERT skips are the ones the pass found known. One statement a new row cost about 25 µs each.
    /// </remarks>
    private static int? Delta(LogStore store, DbConnection connection, DbTransaction transaction, string runId, string phase, IReadOnlyList<string> names, int[] map, string query, string now)
    {
        long knownRows = 0;
        string? knownDigest = null;
        ForEach(
            connection, transaction, "SELECT query_rows, relpaths_blake3 FROM main.ingest_deltas WHERE build_id = $b AND phase = $p", [P("$b", runId), P("$p", phase)],
            r => (knownRows, knownDigest) = (r.GetInt64(0), r.GetString(1)));

        var source = $"(SELECT * FROM (\n{query}\n) LIMIT -1 OFFSET $k)";
        var digest = new RelPathDigest();
        var (known, text) = (false, true);
        store.Database.ForEachUtf8(connection, $"SELECT q.{Quote(names[map[0]])} FROM {source} AS q", [("$k", 0)], (relPath, isText) =>
        {
            // A relpath that is not text is the row-by-row reading's to refuse.
            text = isText;
            digest.Add(relPath);
            if (digest.Rows == knownRows)
            {
                known = digest.Text() == knownDigest;
            }

            return text;
        });
        if (!text)
        {
            return null;
        }

        var last = (long)Scalar(connection, transaction, "SELECT coalesce(max(log_id), 0) FROM main.ingest_log")!;
        int Insert(string? filter) => Execute(
            connection, transaction, InsertSql(names, map, source, filter),
            P("$b", runId), P("$p", phase), P("$t", now), P("$k", known ? knownRows : 0));

        var (count, unique) = (0, false);
        if (known)
        {
            // The rows after the known ones are seldom logged already: inserted unfiltered, then one look a new row in
            // the (build_id, phase, relpath) index for another record of its relpath. That costs less than the look a
            // row inside the INSERT, which makes SQLite copy the rows to a temporary table first (the INSERT reads its
            // own table), and covers a relpath the query returns twice as well. Any such record: the filtered INSERT.
            Execute(connection, transaction, "SAVEPOINT ingest_delta_new");
            count = Insert(null);
            unique = (long)Scalar(
                connection, transaction,
                "SELECT EXISTS (SELECT 1 FROM main.ingest_log n WHERE n.log_id > $last AND EXISTS (SELECT 1 FROM main.ingest_log o " +
                "WHERE o.build_id = $b AND o.phase = $p AND o.relpath = n.relpath AND o.log_id <> n.log_id))",
                P("$last", last), P("$b", runId), P("$p", phase))! == 0;
            Execute(connection, transaction, unique ? "RELEASE ingest_delta_new" : "ROLLBACK TO ingest_delta_new; RELEASE ingest_delta_new");
        }

        if (!unique)
        {
            count = Insert(known
                ? "NOT EXISTS (SELECT 1 FROM main.ingest_log l WHERE l.build_id = $b AND l.phase = $p AND l.relpath = {0})"
                : "{0} COLLATE BINARY NOT IN (SELECT relpath FROM main.ingest_log WHERE build_id = $b AND phase = $p)");

            // The row-by-row reading logs a relpath the query returns twice only once; such a query goes that way.
            if ((long)Scalar(connection, transaction, "SELECT count(*) - count(DISTINCT relpath) FROM main.ingest_log WHERE log_id > $last", P("$last", last))! > 0)
            {
                return null;
            }
        }

        Execute(
            connection, transaction,
            "INSERT INTO main.ingest_deltas (build_id, phase, query_rows, relpaths_blake3) VALUES ($b, $p, $n, $d) " +
            "ON CONFLICT (build_id, phase) DO UPDATE SET query_rows = $n, relpaths_blake3 = $d",
            P("$b", runId), P("$p", phase), P("$n", digest.Rows), P("$d", digest.Text()));
        return count;
    }

    /// <summary>
    /// The query's column names, read on the pipeline's database alone (so it compiles against that database only),
    /// when that database is in WAL mode; null otherwise, or when the query wrapped as a subquery does not compile.
    /// </summary>
    /// <remarks>
    /// WAL mode, because there a reader never blocks the pipeline's writers; a rollback-journal database keeps the
    /// row-by-row reading and its wait for the pipeline's lock. Errors of the database itself (missing, not SQLite,
    /// locked) are the same either way and go up.
    /// </remarks>
    private static IReadOnlyList<string>? Columns(string databasePath, string query, TimeSpan busyTimeout)
    {
        IReadOnlyList<string> names = [];
        string? journal = null;
        try
        {
            ForeignDatabase.Query(databasePath, "PRAGMA journal_mode", busyTimeout, _ => { }, r => journal = r.GetString(0));
            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            // The line breaks keep a trailing line comment of the query from swallowing the wrapper.
            ForeignDatabase.Query(databasePath, $"SELECT * FROM (\n{query}\n) LIMIT 0", busyTimeout, n => names = n, _ => { });
        }
        catch (LogToolsException ex) when (ex.ErrorId == "DatabaseQueryInvalid")
        {
            return null;
        }

        return names;
    }

    /// <summary>
    /// One INSERT … SELECT from <paramref name="source"/> (the query, or one row of its values) mapping the query's
    /// columns as <see cref="IngestLedger"/>'s row-by-row reading does, for the rows passing <paramref name="filter"/>
    /// (its {0} is the relpath; null takes them all). A row whose values that reading would convert or refuse (a status other than processed,
    /// skipped or error in any case; a number that is not an integer; text that is a real or a blob; a relpath that is not
    /// text or has no letter or digit, so it may be blank) gets a NULL relpath, which fails the statement.
    /// </summary>
    private static string InsertSql(IReadOnlyList<string> names, int[] map, string source, string? filter)
    {
        string Column(int field) => map[field] < 0 ? "NULL" : $"q.{Quote(names[map[field]])}";
        int[] numbers = [2, 3, 5, 6], texts = [4, 7, 8];
        var relPath = Column(0);
        var exact = new List<string> { $"typeof({relPath}) = 'text'", $"{relPath} GLOB '*[0-9A-Za-z]*'" };
        exact.AddRange(numbers.Where(f => map[f] >= 0).Select(f => $"typeof({Column(f)}) IN ('integer', 'null')"));
        exact.AddRange(texts.Where(f => map[f] >= 0).Select(f => $"typeof({Column(f)}) IN ('text', 'integer', 'null')"));
        var status = Column(1);
        var statusSql = map[1] < 0 ? "'processed'" :
            $"CASE WHEN {status} IS NULL THEN 'processed' WHEN typeof({status}) = 'text' THEN " +
            $"CASE lower({status}) WHEN 'processed' THEN 'processed' WHEN 'skipped' THEN 'skipped' WHEN 'error' THEN 'error' END END";
        string Text(int field) => map[field] < 0 ? "NULL" : $"CAST({Column(field)} AS TEXT)";
        return
            "INSERT INTO main.ingest_log (build_id, phase, timestamp, file_id, content_version_id, relpath, status, size_raw, size_stored, content_hash, error_type, error_msg) " +
            $"SELECT $b, $p, $t, {Column(5)}, {Column(6)}, CASE WHEN {string.Join(" AND ", exact)} THEN {relPath} END, {statusSql}, " +
            $"{Column(2)}, {Column(3)}, {Text(4)}, {Text(7)}, {Text(8)} " +
            $"FROM {source} AS q{(filter is null ? string.Empty : " WHERE " + string.Format(CultureInfo.InvariantCulture, filter, relPath))}";
    }

    private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>BLAKE3 over relpaths in order, each as its UTF-8 length (4 bytes) and bytes, hashed in 64 KiB batches.</summary>
    private sealed class RelPathDigest
    {
        private readonly Blake3Hasher hasher = Blake3Hasher.Create();
        private readonly byte[] buffer = new byte[1 << 16];
        private int used;

        public long Rows { get; private set; }

        public void Add(ReadOnlySpan<byte> relPath)
        {
            if (used + 4 + relPath.Length > buffer.Length)
            {
                Flush();
            }

            BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(used), relPath.Length);
            used += 4;
            if (used + relPath.Length <= buffer.Length)
            {
                relPath.CopyTo(buffer.AsSpan(used));
                used += relPath.Length;
            }
            else
            {
                Flush();
                hasher.Update(relPath);
            }

            Rows++;
        }

        public string Text()
        {
            Flush();
            var digest = new byte[32];
            hasher.Finalize(digest);
            return Convert.ToHexString(digest);
        }

        private void Flush()
        {
            hasher.Update(buffer.AsSpan(0, used));
            used = 0;
        }
    }
}
