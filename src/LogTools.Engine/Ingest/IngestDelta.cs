using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Globalization;
using LogTools.Engine.Hashing;
using LogTools.Engine.Store;
using static LogTools.Engine.Store.Sql;

namespace LogTools.Engine.Ingest;

/// <summary>
/// Delta logging with the pipeline's database attached read-only beside the store. When the first rows of the query are
/// the rows of the run's last delta of the phase (their count and a BLAKE3 of their relpaths in order, kept in
/// ingest_deltas), they are all logged: the rows after them are read on a second connection at one snapshot of the
/// pipeline and inserted while the first rows are digested, then each new record is looked up in the store's
/// (build_id, phase, relpath) index. Otherwise one INSERT … SELECT … WHERE relpath NOT IN (the phase's relpaths, read
/// from that covering index into one transient index, which measured a third cheaper than a NOT EXISTS probe a row)
/// takes them all. Columns are mapped by name in SQL and compared as the row-by-row reading compares them (BINARY,
/// whatever collation the pipeline's column declares). It takes only what it decides exactly as the row-by-row reading
/// does; for anything else (a status or number to parse, a relpath that may be blank or is not text, a relpath twice in
/// the query) it logs nothing and returns null, and the caller reads the rows one by one, which also words every error.
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
                count = Delta(store, connection, transaction, runId, phase, names, map, query, StoreTime.ToText(now), new Pipeline(databasePath, busyTimeout));
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
    /// When the run's phase has a last delta, the rows after its rows are read ahead and inserted while its rows are
    /// digested (<see cref="Ahead"/>). Otherwise, or when that does not hold, one pass over the query's relpaths digests
    /// them in order and one INSERT … SELECT … NOT IN takes every row not logged. The digest of all the rows is kept for
    /// the next delta.
    /// </summary>
    private static int? Delta(LogStore store, DbConnection connection, DbTransaction transaction, string runId, string phase, IReadOnlyList<string> names, int[] map, string query, string now, Pipeline pipeline)
    {
        long knownRows = 0;
        string? knownDigest = null;
        ForEach(
            connection, transaction, "SELECT query_rows, relpaths_blake3 FROM main.ingest_deltas WHERE build_id = $b AND phase = $p", [P("$b", runId), P("$p", phase)],
            r => (knownRows, knownDigest) = (r.GetInt64(0), r.GetString(1)));
        var last = (long)Scalar(connection, transaction, "SELECT coalesce(max(log_id), 0) FROM main.ingest_log")!;
        if (knownDigest is not null)
        {
            Execute(connection, transaction, "SAVEPOINT ingest_delta_ahead");
            var ahead = Ahead(store, connection, transaction, new Phase(runId, phase, now, last), names, map, query, pipeline, knownRows, knownDigest);
            Execute(connection, transaction, ahead is null ? "ROLLBACK TO ingest_delta_ahead; RELEASE ingest_delta_ahead" : "RELEASE ingest_delta_ahead");
            if (ahead is { } logged)
            {
                return logged;
            }
        }

        var digest = new RelPathDigest();
        var text = true;
        store.Database.ForEachUtf8(connection, Rows(query), [("$k", 0)], map[0], (relPath, isText) =>
        {
            // A relpath that is not text is the row-by-row reading's to refuse.
            text = isText;
            digest.Add(relPath);
            return text;
        });
        if (!text)
        {
            return null;
        }

        var count = Execute(
            connection, transaction,
            InsertSql(names, map, $"(SELECT * FROM (\n{query}\n) LIMIT -1 OFFSET 0)", "{0} COLLATE BINARY NOT IN (SELECT relpath FROM main.ingest_log WHERE build_id = $b AND phase = $p)"),
            P("$b", runId), P("$p", phase), P("$t", now));

        // The row-by-row reading logs a relpath the query returns twice only once; such a query goes that way.
        if ((long)Scalar(connection, transaction, "SELECT count(*) - count(DISTINCT relpath) FROM main.ingest_log WHERE log_id > $last", P("$last", last))! > 0)
        {
            return null;
        }

        KeepDigest(connection, transaction, runId, phase, digest);
        return count;
    }

    /// <summary>
    /// The delta as the last delta's rows and the rows after them. On a second connection, at one snapshot of the
    /// pipeline (on the thread pool), the query's rows after the first <paramref name="knownRows"/> are read first and
    /// handed over in batches, then its first rows are digested; meanwhile this connection inserts the rows handed over,
    /// through prepared INSERTs (<see cref="RowBatch.Group"/> rows a statement) with their values as SQLite typed them,
    /// so the mapping in SQL decides as the INSERT … SELECT does. Then each new record is looked up in the (build_id, phase, relpath) index for another record
    /// of its relpath. Null when the first rows are not the last delta's (count and digest) or a new record's relpath
    /// has another record: the caller rolls back what it inserted and takes the rows as if there were no last delta.
    /// </summary>
    /// <remarks>
    /// Both reads run one prepared statement (<see cref="Rows"/>, every column of the query used, LIMIT -1 for both)
    /// in one read transaction, so the rows skipped are exactly the rows digested, whatever plan SQLite chose. Reading
    /// and digesting the million relpaths of the benchmark's delta was a third of its time, its inserts half; here they
    /// run side by side on two cores.
    /// </remarks>
    private static int? Ahead(LogStore store, DbConnection connection, DbTransaction transaction, Phase target, IReadOnlyList<string> names, int[] map, string query, Pipeline pipeline, long knownRows, string knownDigest)
    {
        // Up to 262,144 rows ahead of the inserts, so the digest of the first rows can start while they run.
        using var batches = new BlockingCollection<RowBatch>(boundedCapacity: 256);
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(() =>
        {
            try
            {
                return ReadAhead(pipeline, query, map[0], names.Count, knownRows, knownDigest, batches, stop.Token);
            }
            finally
            {
                batches.CompleteAdding();
            }
        });

        var count = 0;
        try
        {
            // A column of a name given twice is not mapped (the last of that name is), so it has no parameter.
            var mapped = map.Where(c => c >= 0).Order().ToArray();
            var slots = Enumerable.Range(0, names.Count).Select(c => Array.IndexOf(mapped, c) is var slot and >= 0 ? 3 + slot : -1).ToArray();
            (string, DbType)[] fixedValues = [("$b", DbType.String), ("$p", DbType.String), ("$t", DbType.String)];
            using var one = store.Database.PrepareInsert(
                connection, transaction, InsertSql(names, map, null, null), [.. fixedValues, .. mapped.Select(c => ($"$c{c}", DbType.Object))]);
            // RowBatch.Group rows a statement: one statement a row cost half as much again as the INSERT … SELECT.
            var columnNames = names.Select(n => n).ToArray();
            for (var j = 0; j < mapped.Length; j++)
            {
                columnNames[mapped[j]] = $"column{j + 1}";
            }

            var rowValues = Enumerable.Range(0, RowBatch.Group).Select(r => $"({string.Join(", ", mapped.Select(c => $"$r{r}c{c}"))})");
            using var many = store.Database.PrepareInsert(
                connection, transaction, InsertSql(columnNames, map, $"(VALUES {string.Join(", ", rowValues)})", null),
                [.. fixedValues, .. Enumerable.Range(0, RowBatch.Group).SelectMany(r => mapped.Select(c => ($"$r{r}c{c}", DbType.Object)))]);
            foreach (var insert in new[] { one, many })
            {
                insert.Text(0, target.RunId);
                insert.Text(1, target.Name);
                insert.Text(2, target.Now);
            }

            foreach (var batch in batches.GetConsumingEnumerable())
            {
                count += batch.Insert(one, many, slots, mapped.Length);
            }

        }
        catch
        {
            stop.Cancel();
            try
            {
                reader.Wait();
            }
            catch (AggregateException)
            {
                // What stopped this side is the error to report; the reader only stopped because of it.
            }

            throw;
        }

        if (reader.GetAwaiter().GetResult() is not { } digest)
        {
            return null;
        }


        var unique = (long)Scalar(
            connection, transaction,
            "SELECT EXISTS (SELECT 1 FROM main.ingest_log n WHERE n.log_id > $last AND EXISTS (SELECT 1 FROM main.ingest_log o " +
            "WHERE o.build_id = $b AND o.phase = $p AND o.relpath = n.relpath AND o.log_id <> n.log_id))",
            P("$last", target.LastLogId), P("$b", target.RunId), P("$p", target.Name))! == 0;
        if (!unique)
        {
            return null;
        }

        KeepDigest(connection, transaction, target.RunId, target.Name, digest);
        return count;
    }

    /// <summary>
    /// The reading side of <see cref="Ahead"/>: the rows after the first <paramref name="knownRows"/> into
    /// <paramref name="batches"/>, then the digest of the first rows; the digest of all the rows when the first rows are
    /// the last delta's, null otherwise (or when a relpath is not text, or the database's text is not UTF-8).
    /// </summary>
    private static RelPathDigest? ReadAhead(Pipeline pipeline, string query, int relPathColumn, int columns, long knownRows, string knownDigest, BlockingCollection<RowBatch> batches, CancellationToken stop)
    {
        using var snapshot = new ForeignSnapshot(pipeline.Path, pipeline.BusyTimeout);
        if (!snapshot.Utf8)
        {
            return null;
        }

        var sql = Rows(query);
        var after = new List<RowBatch>();
        var batch = new RowBatch(columns);
        snapshot.ForEach(sql, [("$k", knownRows)], row =>
        {
            batch.Add(row);
            if (batch.Full)
            {
                after.Add(batch);
                batches.Add(batch, stop);
                batch = new RowBatch(columns);
            }

            return true;
        });
        after.Add(batch);
        batches.Add(batch, stop);
        batches.CompleteAdding();

        var digest = new RelPathDigest();
        var text = true;
        if (knownRows > 0)
        {
            snapshot.ForEach(sql, [("$k", 0)], row =>
            {
                text = row.Kind(relPathColumn) == StoreValueKind.Text;
                digest.Add(row.Bytes(relPathColumn));
                return text && digest.Rows < knownRows;
            });
        }

        if (!text || digest.Rows != knownRows || digest.Text() != knownDigest)
        {
            return null;
        }

        foreach (var rows in after)
        {
            if (!rows.AddRelPaths(relPathColumn, digest))
            {
                return null;
            }
        }

        return digest;
    }

    /// <summary>
    /// Every row of the query from the $k-th on, every column used (so SQLite omits none, and its plan is the one an
    /// INSERT reading every column gets) and LIMIT -1 (so only the rows skipped differ with $k).
    /// </summary>
    private static string Rows(string query) => $"SELECT * FROM (\n{query}\n) LIMIT -1 OFFSET $k";

    private static void KeepDigest(DbConnection connection, DbTransaction transaction, string runId, string phase, RelPathDigest digest) => Execute(
        connection, transaction,
        "INSERT INTO main.ingest_deltas (build_id, phase, query_rows, relpaths_blake3) VALUES ($b, $p, $n, $d) " +
        "ON CONFLICT (build_id, phase) DO UPDATE SET query_rows = $n, relpaths_blake3 = $d",
        P("$b", runId), P("$p", phase), P("$n", digest.Rows), P("$d", digest.Text()));

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
    /// One INSERT … SELECT from <paramref name="source"/> (the query), or with a null source one INSERT … VALUES of one
    /// row whose query columns are the parameters $c0, $c1, …, mapping the query's columns as
    /// <see cref="IngestLedger"/>'s row-by-row reading does, for the rows passing <paramref name="filter"/>
    /// (its {0} is the relpath; null takes them all). A row whose values that reading would convert or refuse (a status other than processed,
    /// skipped or error in any case; a number that is not an integer; text that is a real or a blob; a relpath that is not
    /// text or has no letter or digit, so it may be blank) gets a NULL relpath, which fails the statement.
    /// </summary>
    /// <remarks>
    /// VALUES, not a SELECT of the parameters: SQLite runs an INSERT … SELECT as a statement that may write many rows,
    /// with a statement journal, which copied the pages each row touched and made a row's insert three times dearer.
    /// </remarks>
    private static string InsertSql(IReadOnlyList<string> names, int[] map, string? source, string? filter)
    {
        string Column(int field) => map[field] < 0 ? "NULL" : source is null ? $"$c{map[field]}" : $"q.{Quote(names[map[field]])}";
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
        var values =
            $"$b, $p, $t, {Column(5)}, {Column(6)}, CASE WHEN {string.Join(" AND ", exact)} THEN {relPath} END, {statusSql}, " +
            $"{Column(2)}, {Column(3)}, {Text(4)}, {Text(7)}, {Text(8)}";
        return
            "INSERT INTO main.ingest_log (build_id, phase, timestamp, file_id, content_version_id, relpath, status, size_raw, size_stored, content_hash, error_type, error_msg) " +
            (source is null ? $"VALUES ({values})" :
                $"SELECT {values} FROM {source} AS q{(filter is null ? string.Empty : " WHERE " + string.Format(CultureInfo.InvariantCulture, filter, relPath))}");
    }

    private static string Quote(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    /// <summary>The pipeline's database, and how long its lock is waited for.</summary>
    private readonly record struct Pipeline(string Path, TimeSpan BusyTimeout);

    /// <summary>The run's phase a delta logs into, the time its records get, and the store's last log_id before it.</summary>
    private readonly record struct Phase(string RunId, string Name, string Now, long LastLogId);

    /// <summary>
    /// Rows of the query handed from the reading thread to the inserting one: each value as SQLite typed it (an integer,
    /// a real as its bits, text or blob bytes in one buffer, or NULL), so the INSERT sees the types the query gave.
    /// </summary>
    private sealed class RowBatch(int columns)
    {
        public const int Group = 64;
        private const int Capacity = 1024;
        private readonly StoreValueKind?[] kinds = new StoreValueKind?[Capacity * columns];
        private readonly long[] numbers = new long[Capacity * columns];
        private readonly int[] lengths = new int[Capacity * columns];
        private byte[] bytes = new byte[1 << 16];
        private int used;
        private int rows;

        public bool Full => rows == Capacity;

        public void Add(ForeignRow row)
        {
            for (var c = 0; c < columns; c++)
            {
                var cell = rows * columns + c;
                var kind = kinds[cell] = row.Kind(c);
                switch (kind)
                {
                    case StoreValueKind.Integer:
                        numbers[cell] = row.Integer(c);
                        break;
                    case StoreValueKind.Real:
                        numbers[cell] = BitConverter.DoubleToInt64Bits(row.Real(c));
                        break;
                    case StoreValueKind.Text or StoreValueKind.Blob:
                        var value = row.Bytes(c);
                        if (used + value.Length > bytes.Length)
                        {
                            Array.Resize(ref bytes, Math.Max(bytes.Length * 2, used + value.Length));
                        }

                        value.CopyTo(bytes.AsSpan(used));
                        (numbers[cell], lengths[cell]) = (used, value.Length);
                        used += value.Length;
                        break;
                }
            }

            rows++;
        }

        /// <summary>
        /// Runs <paramref name="many"/> for each <see cref="Group"/> rows (row r's column c as its value
        /// <paramref name="slots"/>[c] + r × <paramref name="width"/>, none when -1), and <paramref name="one"/> for each
        /// row left; the number of rows.
        /// </summary>
        public int Insert(RowInsert one, RowInsert many, int[] slots, int width)
        {
            var r = 0;
            for (; r + Group <= rows; r += Group)
            {
                for (var g = 0; g < Group; g++)
                {
                    Bind(many, r + g, slots, g * width);
                }

                many.Run();
            }

            for (; r < rows; r++)
            {
                Bind(one, r, slots, 0);
                one.Run();
            }

            return rows;
        }

        private void Bind(RowInsert insert, int r, int[] slots, int offset)
        {
            for (var c = 0; c < columns; c++)
            {
                var (cell, slot) = (r * columns + c, slots[c] + offset);
                switch (slots[c] < 0 ? (StoreValueKind?)null : kinds[cell])
                {
                    case null when slots[c] < 0:
                        break;
                    case StoreValueKind.Integer:
                        insert.Integer(slot, numbers[cell]);
                        break;
                    case StoreValueKind.Real:
                        insert.Real(slot, BitConverter.Int64BitsToDouble(numbers[cell]));
                        break;
                    case StoreValueKind.Text:
                        insert.Utf8(slot, Bytes(cell));
                        break;
                    case StoreValueKind.Blob:
                        insert.Blob(slot, Bytes(cell));
                        break;
                    default:
                        insert.Null(slot);
                        break;
                }
            }
        }

        /// <summary>Adds the rows' relpaths to <paramref name="digest"/>; false when one is not text.</summary>
        public bool AddRelPaths(int column, RelPathDigest digest)
        {
            for (var r = 0; r < rows; r++)
            {
                var cell = r * columns + column;
                if (kinds[cell] != StoreValueKind.Text)
                {
                    return false;
                }

                digest.Add(Bytes(cell));
            }

            return true;
        }

        private ReadOnlySpan<byte> Bytes(int cell) => bytes.AsSpan((int)numbers[cell], lengths[cell]);
    }

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
