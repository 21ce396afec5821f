using System.Data.Common;
using LogTools.Engine.Store;
using static LogTools.Engine.Store.Sql;

namespace LogTools.Engine.Ingest;

/// <summary>
/// Delta logging as one set operation: the pipeline's database attached read-only beside the store and one
/// INSERT … SELECT … WHERE relpath NOT IN (the phase's relpaths, read from the covering (build_id, phase, relpath)
/// index into one transient index, which measured a third cheaper than a NOT EXISTS probe of the store's index a row),
/// the columns mapped by name in SQL, compared as the row-by-row reading compares them (BINARY, whatever collation
/// the pipeline's column declares). A prepared INSERT a row kept 100,000 new rows at seconds. It takes only what it decides exactly as
/// the row-by-row reading does; for anything else (a status or number to parse, a relpath that may be blank or is not
/// text, a relpath twice in the query) it logs nothing and returns null, and the caller reads the rows one by one,
/// which also words every error.
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

        var insert = InsertSql(names, map, query);
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

            var last = (long)Scalar(connection, transaction, "SELECT coalesce(max(log_id), 0) FROM main.ingest_log")!;
            int count;
            try
            {
                count = Execute(connection, transaction, insert, P("$b", runId), P("$p", phase), P("$t", StoreTime.ToText(now)));
            }
            catch (DbException)
            {
                // A row it cannot decide (its relpath set to NULL, against NOT NULL) or a failure reading the pipeline:
                // the statement is rolled back, and the row-by-row reading reports what it is.
                return (int?)null;
            }

            // The row-by-row reading logs a relpath the query returns twice only once; such a query goes that way.
            if ((long)Scalar(connection, transaction, "SELECT count(*) - count(DISTINCT relpath) FROM main.ingest_log WHERE log_id > $last", P("$last", last))! > 0)
            {
                Execute(connection, transaction, "DELETE FROM main.ingest_log WHERE log_id > $last", P("$last", last));
                return null;
            }

            return count;
        });
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
    /// One INSERT … SELECT mapping the query's columns as <see cref="IngestLedger"/>'s row-by-row reading does. A row
    /// whose values that reading would convert or refuse (a status other than processed, skipped or error in any case;
    /// a number that is not an integer; text that is a real or a blob; a relpath that is not text or has no letter or
    /// digit, so it may be blank) gets a NULL relpath, which fails the statement.
    /// </summary>
    private static string InsertSql(IReadOnlyList<string> names, int[] map, string query)
    {
        string Column(int field) => map[field] < 0 ? "NULL" : $"q.\"{names[map[field]].Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
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
            $"FROM (\n{query}\n) AS q " +
            $"WHERE typeof({relPath}) <> 'text' OR {relPath} COLLATE BINARY NOT IN (SELECT relpath FROM main.ingest_log WHERE build_id = $b AND phase = $p)";
    }
}
