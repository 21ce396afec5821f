using System.Data.Common;
using LogTools.Engine.Store;

namespace LogTools.Engine.Sessions;

/// <summary>
/// Moves old records out of the active store into monthly archive databases with the same schema
/// (&lt;store&gt;/archive/logs-YYYY-MM.db): whatever the registered areas say they archive (StoreArea.Archived),
/// today API calls and events older than the cutoff, and finished sessions (ended before the cutoff) with their
/// tasks and workers, so foreign keys stay valid in both.
/// <para>
/// The active database is in WAL mode, where SQLite does not make a transaction across two files
/// atomic. So every transaction writes ONE file, and a journal in the active store makes the move
/// restartable: (0) the rows to move are recorded in archive_pending; (1) one archive transaction
/// copies them and records the batch as done in the archive's store_meta; (2) one active-store
/// transaction deletes them and their journal entries. A run first finishes any batch left by an
/// interrupted run: done in the archive means only step 2 remains, otherwise step 1 is repeated
/// (its earlier attempt rolled back as a whole). No row is lost or kept twice.
/// </para>
/// <para>
/// On a PostgreSQL store the archives are the same SQLite files, under the content root. Step 1 reads the batch's
/// rows from one snapshot of the server into a temporary database that the archive's transaction attaches in place
/// of the store file (the backend's part, <see cref="StoreDatabase.WriteArchive{T}"/>); the rest is the same SQL. Every
/// archive commit is on disk before step 2 deletes, and a lock of the store (advisory on a server) keeps moves one at a
/// time across processes and hosts.
/// </para>
/// </summary>
public sealed class LogArchive
{
    public const string Folder = "archive";

    /// <summary>
    /// The Archive area owns the move journal (archive_pending) in the index; its monthly databases are content the
    /// store backs up and checks. What moves is each area's to say (<see cref="StoreArea.Archived"/>).
    /// </summary>
    internal static StoreArea Area { get; } = new("Archive", [], ["archive_pending"]) { ContentFolders = [Folder], DatabaseFolders = [Folder] };

    /// <summary>The registered areas' archived tables in copy order (parents first); deletes run in reverse.</summary>
    private static StoreArchiveTable[] Tables => [.. StoreSchema.Areas.SelectMany(a => a.Archived)];

    private readonly LogStore store;

    public LogArchive(LogStore store) => this.store = store;

    /// <summary>Called between the steps of a batch with the step just finished; lets tests interrupt a move.</summary>
    internal Action<string>? AfterStep { get; set; }

    /// <summary>
    /// The archive databases that exist, oldest month first, opened for reading: never changed, and one with an older
    /// schema is refused (ArchiveSchemaOutdated; <see cref="Move"/> upgrades them).
    /// </summary>
    public static IEnumerable<StoreDatabase> Databases(LogStore store) => Files(store).Select(f => LogStore.OpenSchemaFile(f, StoreAccess.Read)).ToList();

    private static IEnumerable<string> Files(LogStore store)
    {
        var folder = Path.Combine(store.Path, Folder);
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "logs-????-??.db").Order(StringComparer.Ordinal) : [];
    }

    /// <summary>What a move with this cutoff would move, per month and table; changes nothing.</summary>
    public IReadOnlyList<LogArchiveCount> Plan(DateTimeOffset cutoff) =>
        store.Database.Read(connection =>
        {
            var counts = new List<LogArchiveCount>();
            foreach (var (table, _, rows) in Tables)
            {
                Sql.ForEach(connection, null, $"SELECT month, count(*) FROM ({rows}) AS r GROUP BY month ORDER BY month", [("$cutoff", StoreTime.ToText(cutoff))],
                    r => counts.Add(Count(r.GetString(0), table, r.GetInt64(1))));
            }

            return counts.OrderBy(c => c.Month, StringComparer.Ordinal).ToList();
        });

    /// <summary>
    /// Upgrades archives written by an older LogTools, finishes any interrupted batch, then moves everything older than <paramref name="cutoff"/>.
    /// Returns what was moved, per month and table; <paramref name="sink"/> gets each month's progress as it starts,
    /// and its stop token stops the move between months (OperationCanceledException): the journal keeps the rest
    /// pending, and the next Move finishes it.
    /// </summary>
    public IReadOnlyList<LogArchiveCount> Move(DateTimeOffset cutoff, IEngineSink? sink = null)
    {
        // One move at a time per store, on every host: two would journal the same rows in two batches and copy them twice.
        var timeout = store.Database.Policy.BusyTimeout;
        using var moving = store.Lock("archive", timeout, () => new LogToolsException(
            "ArchiveInProgress", ErrorKind.ResourceBusy, store.Path,
            $"Another Move-LogRecord of the store '{store.Database.DatabasePath}' (on this or another host) has held its lock for {timeout.TotalSeconds:0} s. " +
            "Nothing was moved; run Move-LogRecord again when it has finished."));

        // Archives written by an older LogTools are upgraded here, by a writer, so readers (Get-ApiCost -IncludeArchive) can read them.
        foreach (var file in Files(store))
        {
            LogStore.OpenSchemaFile(file);
        }

        var cancellation = sink?.CancellationToken ?? CancellationToken.None;
        var moved = new List<LogArchiveCount>();
        foreach (var (batch, month) in PendingBatches())
        {
            cancellation.ThrowIfCancellationRequested();
            moved.AddRange(Finish(batch, month));
        }

        var id = Guid.NewGuid().ToString("N");
        store.Database.Write((connection, transaction) =>
        {
            foreach (var (table, _, rows) in Tables)
            {
                Sql.Execute(connection, transaction, $"INSERT INTO archive_pending (batch_id, archive, tbl, pk) SELECT $batch, month, '{table}', pk FROM ({rows}) AS r",
                    ("$batch", id), ("$cutoff", StoreTime.ToText(cutoff)));
            }
        });
        AfterStep?.Invoke("journal");

        var months = PendingBatches().Where(b => b.Batch == id).Select(b => b.Month).ToList();
        for (var i = 0; i < months.Count; i++)
        {
            cancellation.ThrowIfCancellationRequested();
            sink?.Progress(new EngineProgress("Move-LogRecord", $"Archiving {months[i]}", i, months.Count));
            moved.AddRange(Finish(id, months[i]));
        }

        return moved
            .GroupBy(c => (c.Month, c.Table))
            .Select(g => Count(g.Key.Month, g.Key.Table, g.Sum(c => c.Rows)))
            .OrderBy(c => c.Month, StringComparer.Ordinal).ThenBy(c => Array.FindIndex(Tables, t => t.Table == c.Table))
            .ToList();
    }

    private List<(string Batch, string Month)> PendingBatches() => store.Database.Read(connection =>
    {
        var batches = new List<(string, string)>();
        Sql.ForEach(connection, null, "SELECT DISTINCT batch_id, archive FROM archive_pending ORDER BY archive", [], r => batches.Add((r.GetString(0), r.GetString(1))));
        return batches;
    });

    /// <summary>Steps 1 (unless the archive already has the batch) and 2 of one batch's month.</summary>
    private List<LogArchiveCount> Finish(string batch, string month)
    {
        var path = ArchivePath(month);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var archive = LogStore.OpenSchemaFile(path);
        var marker = "archive-batch:" + batch;
        var copied = archive.Read(c => StoreMeta.Get(c, null, marker)) is not null;
        if (!copied)
        {
            store.Database.WriteArchive(archive, "live", (from, snapshot, to, transaction) => Stage(batch, month, from, snapshot, to, transaction), (connection, transaction) =>
            {
                foreach (var archived in Tables)
                {
                    var (table, key, _) = archived;
                    if (archived.BeforeCopy is { } before)
                    {
                        Sql.Execute(connection, transaction, before);
                    }

                    var columns = Columns(connection, transaction, table);
                    var others = string.Join(", ", columns.Where(c => c != key).Select(c => "s." + c));
                    var id = archived.RenumberOnClash ? $"CASE WHEN EXISTS (SELECT 1 FROM main.{table} x WHERE x.{key} = s.{key}) THEN NULL ELSE s.{key} END" : "s." + key;
                    Sql.Execute(connection, transaction, $"""
                        INSERT OR IGNORE INTO main.{table} ({key}, {string.Join(", ", columns.Where(c => c != key))})
                        SELECT {id}, {others} FROM live.{table} s
                        JOIN live.archive_pending p ON p.batch_id = $batch AND p.archive = $month AND p.tbl = '{table}' AND p.pk = s.{key}
                        ORDER BY s.{key}
                        """, ("$batch", batch), ("$month", month));
                    if (archived.AfterCopy is { } after)
                    {
                        Sql.Execute(connection, transaction, after);
                    }
                }

                StoreMeta.Set(connection, transaction, marker, StoreTime.ToText(DateTimeOffset.UtcNow));
                return true;
            });
            AfterStep?.Invoke("copy");
        }

        return store.Database.Write((connection, transaction) =>
        {
            var counts = new List<LogArchiveCount>();
            foreach (var (table, key, _) in Enumerable.Reverse(Tables))
            {
                var rows = Sql.Execute(connection, transaction, $"DELETE FROM {table} WHERE {key} IN ({Pending(connection, transaction, table, key)})", ("$batch", batch), ("$month", month));
                if (rows > 0)
                {
                    counts.Insert(0, Count(month, table, rows));
                }
            }

            Sql.Execute(connection, transaction, "DELETE FROM archive_pending WHERE batch_id = $batch AND archive = $month", ("$batch", batch), ("$month", month));
            return counts;
        });
    }

    /// <summary>
    /// The keys of <paramref name="table"/>'s rows in a batch's month (<c>$batch</c>, <c>$month</c>), of the key's own type:
    /// the journal's pk column takes any type on SQLite and is text on PostgreSQL.
    /// </summary>
    private static string Pending(DbConnection connection, DbTransaction? transaction, string table, string key)
    {
        var type = SqlDialect.Of(connection).Columns(connection, transaction, table).First(c => c.Name == key).Kind == StoreValueKind.Integer ? "INTEGER" : "TEXT";
        return $"SELECT CAST(pk AS {type}) FROM archive_pending WHERE batch_id = $batch AND archive = $month AND tbl = '{table}'";
    }

    /// <summary>
    /// A server store's part of the copy: the batch's rows of each table and their journal entries, read from the server's
    /// snapshot into tables of the same names in the temporary database attached as "live", so the copy reads them as
    /// it reads an SQLite store's attached file.
    /// </summary>
    private static void Stage(string batch, string month, DbConnection from, DbTransaction snapshot, DbConnection to, DbTransaction transaction)
    {
        Sql.Execute(to, transaction, "CREATE TABLE live.archive_pending AS SELECT * FROM main.archive_pending WHERE false");
        using var pending = Sql.Command(to, transaction, "INSERT INTO live.archive_pending (batch_id, archive, tbl, pk) VALUES ($batch, $month, $table, $pk)", []);
        var (batchId, archive, tableName, pk) = (Sql.Parameter(pending, "$batch"), Sql.Parameter(pending, "$month"), Sql.Parameter(pending, "$table"), Sql.Parameter(pending, "$pk"));
        (batchId.Value, archive.Value) = (batch, month);
        foreach (var (table, key, _) in Tables)
        {
            var columns = Columns(to, transaction, table);
            var names = string.Join(", ", columns.Select(SqlDialect.Quote));
            Sql.Execute(to, transaction, $"CREATE TABLE live.{table} AS SELECT * FROM main.{table} WHERE false");
            using var insert = Sql.Command(to, transaction, $"INSERT INTO live.{table} ({names}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})", []);
            var values = columns.Select((_, i) => Sql.Parameter(insert, "$p" + i)).ToArray();
            var keyAt = columns.IndexOf(key);
            tableName.Value = table;
            Sql.ForEach(from, snapshot, $"SELECT {names} FROM {table} WHERE {key} IN ({Pending(from, snapshot, table, key)})", [("$batch", batch), ("$month", month)], row =>
            {
                for (var i = 0; i < values.Length; i++)
                {
                    values[i].Value = row.GetValue(i);
                }

                insert.ExecuteNonQuery();
                pk.Value = row.GetValue(keyAt);
                pending.ExecuteNonQuery();
            });
        }
    }

    private string ArchivePath(string month) => store.ContentPath(Folder, $"logs-{month}.db");

    private LogArchiveCount Count(string month, string table, long rows) => new() { Month = month, Table = table, Rows = rows, Path = ArchivePath(month) };

    private static List<string> Columns(DbConnection connection, DbTransaction transaction, string table)
    {
        var columns = new List<string>();
        Sql.ForEach(connection, transaction, $"SELECT name FROM pragma_table_info('{table}', 'main') ORDER BY cid", [], r => columns.Add(r.GetString(0)));
        return columns;
    }
}
