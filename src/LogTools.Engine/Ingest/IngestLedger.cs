using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;
using static LogTools.Engine.Store.Sql;

namespace LogTools.Engine.Ingest;

/// <summary>
/// The Ingest area's SQL: per-file records of a run's phases (written one batch a transaction, or as the delta of a
/// pipeline's own database), the phases' rows, and the blocks <see cref="IngestAudit"/> builds from them.
/// Other areas (Sync-LogSource, port builds) log their per-file work through <see cref="Write"/>.
/// </summary>
public sealed class IngestLedger(LogStore store, TimeProvider? clock = null)
{
    /// <summary>The names a -Query's columns may have (ingest_log's own); relpath is required.</summary>
    public static readonly IReadOnlyList<string> QueryColumns =
        ["relpath", "status", "size_raw", "size_stored", "content_hash", "file_id", "content_version_id", "error_type", "error_msg"];

    private const string Columns =
        "log_id, build_id, phase, timestamp, file_id, content_version_id, relpath, status, size_raw, size_stored, content_hash, error_type, error_msg";

    private const string BlockColumns =
        "build_id, phase, block_number, started_at, ended_at, duration_sec, files_count, files_processed, files_error, bytes_raw, bytes_stored, " +
        "merkle_hash, log_id_start, log_id_end";

    // How long a pipeline's exclusive lock on its database is waited for before DatabaseLocked.
    private static readonly TimeSpan PipelineBusyTimeout = TimeSpan.FromSeconds(2);

    private readonly TimeProvider time = clock ?? TimeProvider.System;

    /// <summary>The error for a record without a relative path (IngestRelPathMissing); null when it has one.</summary>
    public static LogToolsException? Invalid(IngestRecord record) => !string.IsNullOrWhiteSpace(record.RelPath) ? null : new LogToolsException(
        "IngestRelPathMissing", ErrorKind.InvalidArgument, record,
        "An ingest record has no RelPath; every record names the file it is about. Give the input a RelPath property (or use -Path). The record was not logged.");

    /// <summary>Parses a status as users and pipelines write it (processed, skipped, error; any case).</summary>
    public static IngestStatus ParseStatus(string text, string? relPath) =>
        Enum.TryParse<IngestStatus>(text, ignoreCase: true, out var status) && Enum.IsDefined(status) ? status : throw new LogToolsException(
            "IngestStatusInvalid", ErrorKind.InvalidArgument, text,
            $"'{text}' (for '{relPath}') is not an ingest status; use processed, skipped or error. Nothing was logged for it.");

    /// <summary>
    /// Logs <paramref name="records"/> for <paramref name="phase"/> of the run, in one transaction; the run must exist
    /// and still be open (RunNotFound, RunCompleted). Returns the number logged.
    /// </summary>
    public int Write(string runId, string phase, IReadOnlyList<IngestRecord> records)
    {
        RequireOpenRun(runId);
        RequirePhase(phase);
        foreach (var record in records)
        {
            if (Invalid(record) is { } error)
            {
                throw error;
            }
        }

        var now = time.GetUtcNow();
        return store.Database.Write((connection, transaction) =>
        {
            using var insert = new Inserter(connection, transaction, runId, phase);
            foreach (var record in records)
            {
                insert.Add(record, now);
            }

            return records.Count;
        });
    }

    /// <summary>The <see cref="RunHooks.Files"/> hook (registered by EngineAreas): a job's file records become its run's ingest records.</summary>
    internal static void WriteRunFiles(LogStore store, string runId, IReadOnlyList<RunFileRecord> files)
    {
        var ledger = new IngestLedger(store);
        foreach (var phase in files.GroupBy(f => f.Phase, StringComparer.Ordinal))
        {
            ledger.Write(runId, phase.Key, [.. phase.Select(f => new IngestRecord
            {
                RelPath = f.RelPath, Status = ParseStatus(f.Status, f.RelPath), SizeRaw = f.SizeRaw, SizeStored = f.SizeStored,
                ContentHash = f.ContentHash, ErrorType = f.ErrorType, ErrorMessage = f.ErrorMessage,
            })]);
        }
    }

    /// <summary>The <see cref="RunHooks.Removing"/> hook (registered by EngineAreas): a removed run's records, blocks, phases and deltas go with it.</summary>
    internal static void DeleteRun(DbConnection connection, DbTransaction transaction, string runId)
    {
        foreach (var table in IngestMigrations.Area.Tables)
        {
            Execute(connection, transaction, $"DELETE FROM {table} WHERE build_id = $b", P("$b", runId));
        }
    }

    /// <summary>
    /// Logs, for <paramref name="phase"/> of the run, the rows of <paramref name="query"/> on the pipeline's SQLite
    /// database (read-only) whose relpath is not yet logged for this run and phase. Columns map by name
    /// (<see cref="QueryColumns"/>). All rows go in one transaction: on any error nothing is logged.
    /// </summary>
    /// <remarks>
    /// A pipeline database in WAL mode is attached read-only and the delta is one INSERT … SELECT
    /// (<see cref="IngestDelta"/>); the rows are read one by one instead when it is not in WAL mode, when the store is
    /// not SQLite, or when a row needs what only the row-by-row reading decides (its errors included).
    /// </remarks>
    /// <returns>The number of records logged.</returns>
    public int WriteDelta(string runId, string phase, string databasePath, string query)
    {
        RequireOpenRun(runId);
        RequirePhase(phase);
        var now = time.GetUtcNow();
        return IngestDelta.Write(store, runId, phase, databasePath, query, now, PipelineBusyTimeout) ?? store.Database.Write((connection, transaction) =>
        {
            var logged = new HashSet<string>(StringComparer.Ordinal);
            ForEach(connection, transaction, "SELECT relpath FROM ingest_log WHERE build_id = $b AND phase = $p", [P("$b", runId), P("$p", phase)], r => logged.Add(r.GetString(0)));
            using var insert = new Inserter(connection, transaction, runId, phase);
            var map = Array.Empty<int>();
            var count = 0;
            ForeignDatabase.Query(databasePath, query, PipelineBusyTimeout, names => map = MapColumns(names, query), row =>
            {
                // Most rows of a delta are already logged: their relpath alone decides, before the rest is read.
                var relPath = row.IsDBNull(map[0]) ? null : Convert.ToString(row.GetValue(map[0]), CultureInfo.InvariantCulture);
                if (relPath is null || !logged.Contains(relPath))
                {
                    insert.Add(FromRow(row, map, relPath), now);
                    logged.Add(relPath!);
                    count++;
                }
            });
            return count;
        });
    }

    /// <summary>Records in log_id order, filtered by run, phase, status and a relpath (wildcards allowed).</summary>
    public void Find(string? runId, string? phase, IngestStatus? status, string? relPath, Action<IngestRecord> sink)
    {
        if (runId is not null)
        {
            new RunLedger(store, time).Get(runId);
        }

        var filter = FindFilter(runId, phase, status, relPath);
        store.Database.Read(connection =>
        {
            Query(connection, null, FindSql(filter), filter.Parameters, Map, sink);
            return true;
        });
    }

    /// <summary>The conditions of <see cref="Find"/>.</summary>
    internal static SqlFilter FindFilter(string? runId, string? phase, IngestStatus? status, string? relPath) => new SqlFilter()
        .Add("build_id = $b", "$b", runId)
        .Add("phase = $p", "$p", phase)
        .Add("status = $s", "$s", status is { } s ? Lower(s) : null)
        .AddId("relpath", "$r", relPath);

    /// <summary>
    /// The query of <see cref="Find"/>. Like <see cref="RowsSql"/> and <see cref="RecordsSql"/>, a run's records come
    /// in log_id order from the (build_id) index, whose entries of a run are in rowid order: the (build_id, phase,
    /// relpath) index would need a sort of the run's records first (a test checks the plans).
    /// </summary>
    internal static string FindSql(SqlFilter filter) => $"SELECT {Columns} FROM ingest_log{filter.Where} ORDER BY log_id";

    /// <summary>The query of <see cref="Records"/>: a block's log_id range, a rowid range of the (build_id) index.</summary>
    internal const string RecordsSql = $"SELECT {Columns} FROM ingest_log WHERE build_id = $b AND phase = $p AND log_id BETWEEN $from AND $to ORDER BY log_id";

    /// <summary>The query of <see cref="Rows"/> (Build-IngestBlock, Test-IngestBlock): a phase's rows in log_id order.</summary>
    internal const string RowsSql = $"SELECT {IngestLeafRow.Columns} FROM ingest_log WHERE build_id = $b AND phase = $p ORDER BY log_id";

    /// <summary>Records the start of a phase (times, and the run event phase.started); a phase starts once.</summary>
    public IngestPhase StartPhase(string runId, string phase)
    {
        RequireOpenRun(runId);
        RequirePhase(phase);
        var now = time.GetUtcNow();
        store.Database.Write((connection, transaction) =>
        {
            if (Scalar(connection, transaction, "SELECT started_at FROM ingest_phases WHERE build_id = $b AND phase = $p", P("$b", runId), P("$p", phase)) is string started)
            {
                throw new LogToolsException(
                    "IngestPhaseAlreadyStarted", ErrorKind.InvalidOperation, phase,
                    $"The phase '{phase}' of run '{runId}' was already started at {started}. Use another phase name. Nothing was changed.");
            }

            Execute(
                connection, transaction,
                "INSERT INTO ingest_phases (build_id, phase, started_at) VALUES ($b, $p, $at) ON CONFLICT (build_id, phase) DO UPDATE SET started_at = $at",
                P("$b", runId), P("$p", phase), P("$at", StoreTime.ToText(now)));
        });
        AppendEvent(runId, "phase.started", now, new Dictionary<string, object?> { ["phase"] = phase });
        return Phase(runId, phase);
    }

    /// <summary>Records the end of a started phase with its counts (and the run event phase.completed carrying them).</summary>
    /// <param name="rowsOut">What the pipeline says the phase produced, or null.</param>
    public IngestPhase CompletePhase(string runId, string phase, long? rowsOut)
    {
        RequireOpenRun(runId);
        RequirePhase(phase);
        var now = time.GetUtcNow();
        store.Database.Write((connection, transaction) =>
        {
            string? started = null, completed = null;
            ForEach(
                connection, transaction, "SELECT started_at, completed_at FROM ingest_phases WHERE build_id = $b AND phase = $p", [P("$b", runId), P("$p", phase)],
                r => (started, completed) = (Text(r, 0), Text(r, 1)));
            if (started is null || completed is not null)
            {
                throw new LogToolsException(
                    started is null ? "IngestPhaseNotStarted" : "IngestPhaseAlreadyCompleted", ErrorKind.InvalidOperation, phase,
                    started is null
                        ? $"The phase '{phase}' of run '{runId}' was never started. Run Start-IngestPhase first. Nothing was changed."
                        : $"The phase '{phase}' of run '{runId}' was already completed at {completed}. Nothing was changed.");
            }

            Execute(
                connection, transaction, "UPDATE ingest_phases SET completed_at = $at, rows_out = $rows WHERE build_id = $b AND phase = $p",
                P("$b", runId), P("$p", phase), P("$at", StoreTime.ToText(now)), P("$rows", rowsOut));
        });
        var result = Phase(runId, phase);
        AppendEvent(runId, "phase.completed", now, new Dictionary<string, object?>
        {
            ["phase"] = phase,
            ["duration_sec"] = result.Duration?.TotalSeconds,
            ["rows_out"] = rowsOut,
            ["files"] = result.Files,
            ["processed"] = result.Processed,
            ["skipped"] = result.Skipped,
            ["errors"] = result.Errors,
            ["bytes_raw"] = result.BytesRaw,
            ["bytes_stored"] = result.BytesStored,
        });
        return result;
    }

    /// <summary>One phase of a run with its counts from ingest_log (a phase only logged has no times).</summary>
    public IngestPhase Phase(string runId, string phase) => store.Database.Read(connection =>
    {
        IngestPhase? found = null;
        Query(
            connection, null,
            "SELECT l.n, l.ok, l.skipped, l.err, l.raw, l.stored, f.started_at, f.completed_at, f.rows_out, f.block_size, f.block_count, f.merkle_root, f.built_at " +
            "FROM (SELECT count(*) AS n, count(*) FILTER (WHERE status = 'processed') AS ok, count(*) FILTER (WHERE status = 'skipped') AS skipped, " +
            "count(*) FILTER (WHERE status = 'error') AS err, coalesce(sum(size_raw), 0) AS raw, coalesce(sum(size_stored), 0) AS stored " +
            "FROM ingest_log WHERE build_id = $b AND phase = $p) l " +
            "LEFT JOIN ingest_phases f ON f.build_id = $b AND f.phase = $p",
            [P("$b", runId), P("$p", phase)],
            r =>
            {
                var started = Time(r, 6);
                var completed = Time(r, 7);
                return new IngestPhase
                {
                    RunId = runId,
                    Phase = phase,
                    Files = r.GetInt64(0),
                    Processed = r.GetInt64(1),
                    Skipped = r.GetInt64(2),
                    Errors = r.GetInt64(3),
                    BytesRaw = r.GetInt64(4),
                    BytesStored = r.GetInt64(5),
                    StartedAt = started,
                    CompletedAt = completed,
                    Duration = completed - started,
                    RowsOut = Integer(r, 8),
                    BlockSize = Integer(r, 9) is { } size ? (int)size : null,
                    BlockCount = Integer(r, 10) is { } blocks ? (int)blocks : null,
                    MerkleRoot = Text(r, 11),
                    BuiltAt = Time(r, 12),
                };
            },
            p => found = p);
        return found!;
    });

    /// <summary>The phases of a run that have records or a row (started, or built), by name.</summary>
    internal IReadOnlyList<string> Phases(string runId) => store.Database.Read(connection =>
    {
        var phases = new SortedSet<string>(StringComparer.Ordinal);
        ForEach(connection, null, "SELECT phase FROM ingest_log WHERE build_id = $b GROUP BY phase", [P("$b", runId)], r => phases.Add(r.GetString(0)));
        ForEach(connection, null, "SELECT phase FROM ingest_phases WHERE build_id = $b", [P("$b", runId)], r => phases.Add(r.GetString(0)));
        return (IReadOnlyList<string>)[.. phases];
    });

    /// <summary>The runs that have ingest records or phases, oldest id first.</summary>
    internal IReadOnlyList<string> Runs() => store.Database.Read(connection =>
    {
        var runs = new SortedSet<string>(StringComparer.Ordinal);
        ForEach(connection, null, "SELECT build_id FROM ingest_phases GROUP BY build_id", [], r => runs.Add(r.GetString(0)));
        ForEach(connection, null, "SELECT build_id FROM ingest_log GROUP BY build_id", [], r => runs.Add(r.GetString(0)));
        return (IReadOnlyList<string>)[.. runs];
    });

    /// <summary>The phase's records in log_id order, within [<paramref name="fromLogId"/>, <paramref name="toLogId"/>].</summary>
    internal void Records(string runId, string phase, long fromLogId, long toLogId, Action<IngestRecord> sink) => store.Database.Read(connection =>
    {
        Query(
            connection, null, RecordsSql,
            [P("$b", runId), P("$p", phase), P("$from", fromLogId), P("$to", toLogId)], Map, sink);
        return true;
    });

    /// <summary>The phase's rows in log_id order, read into one <see cref="IngestLeafRow"/> reused from row to row.</summary>
    internal void Rows(string runId, string phase, Action<IngestLeafRow> sink) => store.Database.Read(connection =>
    {
        var row = new IngestLeafRow(runId, phase);
        ForEach(
            connection, null, RowsSql, [P("$b", runId), P("$p", phase)],
            r =>
            {
                row.Read(r);
                sink(row);
            });
        return true;
    });

    /// <summary>The run's records of <paramref name="relPath"/> (all phases, or one), in log_id order.</summary>
    internal IReadOnlyList<IngestRecord> RecordsOf(string runId, string relPath, string? phase)
    {
        var found = new List<IngestRecord>();
        Find(runId, phase, null, relPath, found.Add);
        return found;
    }

    /// <summary>Stored blocks in (run, phase, number) order, filtered by run, phase and block number.</summary>
    public void Blocks(string? runId, string? phase, int? blockNumber, Action<IngestBlock> sink)
    {
        if (runId is not null)
        {
            new RunLedger(store, time).Get(runId);
        }

        var filter = new SqlFilter()
            .Add("build_id = $b", "$b", runId)
            .Add("phase = $p", "$p", phase)
            .Add("block_number = $n", "$n", blockNumber);
        store.Database.Read(connection =>
        {
            Query(connection, null, $"SELECT {BlockColumns} FROM ingest_blocks{filter.Where} ORDER BY build_id, phase, block_number", filter.Parameters, MapBlock, sink);
            return true;
        });
    }

    /// <summary>Replaces the phase's blocks and root with a new build, in one transaction.</summary>
    internal void ReplaceBlocks(string runId, string phase, int blockSize, IReadOnlyList<IngestBlock> blocks, string root, long files)
    {
        var now = StoreTime.ToText(time.GetUtcNow());
        store.Database.Write((connection, transaction) =>
        {
            Execute(connection, transaction, "DELETE FROM ingest_blocks WHERE build_id = $b AND phase = $p", P("$b", runId), P("$p", phase));
            foreach (var b in blocks)
            {
                Execute(
                    connection, transaction,
                    $"INSERT INTO ingest_blocks ({BlockColumns}) VALUES ($b, $p, $n, $start, $end, $dur, $files, $ok, $err, $raw, $stored, $hash, $first, $last)",
                    P("$b", runId), P("$p", phase), P("$n", b.BlockNumber), P("$start", StoreTime.ToText(b.StartedAt)), P("$end", StoreTime.ToText(b.EndedAt)),
                    P("$dur", b.Duration.TotalSeconds), P("$files", b.FilesCount), P("$ok", b.FilesProcessed), P("$err", b.FilesError),
                    P("$raw", b.BytesRaw), P("$stored", b.BytesStored), P("$hash", b.MerkleHash), P("$first", b.LogIdStart), P("$last", b.LogIdEnd));
            }

            Execute(
                connection, transaction,
                "INSERT INTO ingest_phases (build_id, phase, block_size, block_count, files_count, merkle_root, built_at) VALUES ($b, $p, $size, $count, $files, $root, $at) " +
                "ON CONFLICT (build_id, phase) DO UPDATE SET block_size = $size, block_count = $count, files_count = $files, merkle_root = $root, built_at = $at",
                P("$b", runId), P("$p", phase), P("$size", blockSize), P("$count", blocks.Count), P("$files", files), P("$root", root), P("$at", now));
        });
    }

    private static void RequirePhase(string phase)
    {
        if (string.IsNullOrWhiteSpace(phase))
        {
            throw new LogToolsException(
                "IngestPhaseMissing", ErrorKind.InvalidArgument, phase,
                "The phase name is empty; name the pipeline's step (vanilla_ingest, ast_generation, ...). Nothing was logged.");
        }
    }

    /// <summary>For each of <see cref="QueryColumns"/>, the index of the query's column of that name (-1 for none).</summary>
    internal static int[] MapColumns(IReadOnlyList<string> names, string query)
    {
        var map = new int[QueryColumns.Count];
        Array.Fill(map, -1);
        for (var i = 0; i < names.Count; i++)
        {
            var known = -1;
            for (var k = 0; k < QueryColumns.Count; k++)
            {
                if (string.Equals(QueryColumns[k], names[i], StringComparison.OrdinalIgnoreCase))
                {
                    known = k;
                }
            }

            map[known >= 0 ? known : throw new LogToolsException(
                "IngestQueryColumnUnknown", ErrorKind.InvalidArgument, names[i],
                $"The query returns a column '{names[i]}' that ingest_log does not have. Name its columns (with AS) among: " +
                $"{string.Join(", ", QueryColumns)}. The query was: {query}. Nothing was logged.")] = i;
        }

        return map[0] >= 0 ? map : throw new LogToolsException(
            "IngestQueryRelPathMissing", ErrorKind.InvalidArgument, query,
            $"The query returns no relpath column; every record names its file. Select it (... AS relpath). The query was: {query}. Nothing was logged.");
    }

    private static IngestRecord FromRow(DbDataReader row, int[] map, string? relPath)
    {
        string? TextOf(int field) => map[field] < 0 || row.IsDBNull(map[field]) ? null : Convert.ToString(row.GetValue(map[field]), CultureInfo.InvariantCulture);
        long? NumberOf(int field)
        {
            if (map[field] < 0 || row.IsDBNull(map[field]))
            {
                return null;
            }

            var value = row.GetValue(map[field]);
            return value is long n ? n : long.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new LogToolsException(
                    "IngestColumnInvalid", ErrorKind.InvalidData, value,
                    $"The column {QueryColumns[field]} of '{relPath}' holds '{value}', not a whole number. Correct the query (CAST, or leave the column out). Nothing was logged.");
        }

        var record = new IngestRecord
        {
            RelPath = relPath ?? string.Empty,
            Status = TextOf(1) is { } status ? ParseStatus(status, relPath) : IngestStatus.Processed,
            SizeRaw = NumberOf(2),
            SizeStored = NumberOf(3),
            ContentHash = TextOf(4),
            FileId = NumberOf(5),
            ContentVersionId = NumberOf(6),
            ErrorType = TextOf(7),
            ErrorMessage = TextOf(8),
        };
        return Invalid(record) is { } error ? throw error : record;
    }

    private static IngestRecord Map(DbDataReader r) => new()
    {
        LogId = r.GetInt64(0),
        RunId = r.GetString(1),
        Phase = r.GetString(2),
        Timestamp = StoreTime.Parse(r.GetString(3)),
        FileId = Integer(r, 4),
        ContentVersionId = Integer(r, 5),
        RelPath = r.GetString(6),
        // The table's CHECK allows these three only; a switch, as Enum.Parse showed in reading a million records.
        Status = r.GetString(7) switch { "processed" => IngestStatus.Processed, "skipped" => IngestStatus.Skipped, _ => IngestStatus.Error },
        SizeRaw = Integer(r, 8),
        SizeStored = Integer(r, 9),
        ContentHash = Text(r, 10),
        ErrorType = Text(r, 11),
        ErrorMessage = Text(r, 12),
    };

    private static IngestBlock MapBlock(DbDataReader r) => new()
    {
        RunId = r.GetString(0),
        Phase = r.GetString(1),
        BlockNumber = r.GetInt32(2),
        StartedAt = StoreTime.Parse(r.GetString(3)),
        EndedAt = StoreTime.Parse(r.GetString(4)),
        Duration = TimeSpan.FromSeconds(r.GetDouble(5)),
        FilesCount = r.GetInt64(6),
        FilesProcessed = r.GetInt64(7),
        FilesError = r.GetInt64(8),
        BytesRaw = r.GetInt64(9),
        BytesStored = r.GetInt64(10),
        MerkleHash = r.GetString(11),
        LogIdStart = r.GetInt64(12),
        LogIdEnd = r.GetInt64(13),
    };

    private void RequireOpenRun(string runId) => new RunLedger(store, time).RequireOpen(runId);

    private void AppendEvent(string runId, string type, DateTimeOffset at, Dictionary<string, object?> payload) =>
        new RunLedger(store, time).Append(runId, [new NewRunEvent { Type = type, Time = at, PayloadJson = JsonSerializer.Serialize(payload) }]);

    /// <summary>One prepared INSERT reused for every record of a transaction: preparing it once per row dominated bulk logging.</summary>
    private sealed class Inserter : IDisposable
    {
        private readonly DbCommand command;

        public Inserter(DbConnection connection, DbTransaction transaction, string runId, string phase)
        {
            command = Command(
                connection, transaction,
                "INSERT INTO ingest_log (build_id, phase, timestamp, file_id, content_version_id, relpath, status, size_raw, size_stored, content_hash, error_type, error_msg) " +
                "VALUES ($b, $p, $t, $f, $v, $r, $s, $raw, $stored, $h, $et, $em)",
                [P("$b", runId), P("$p", phase), P("$t", null), P("$f", null), P("$v", null), P("$r", null), P("$s", null),
                 P("$raw", null), P("$stored", null), P("$h", null), P("$et", null), P("$em", null)]);
            command.Prepare();
        }

        public void Add(IngestRecord record, DateTimeOffset now)
        {
            var p = command.Parameters;
            p[2].Value = StoreTime.ToText(record.Timestamp == default ? now : record.Timestamp);
            p[3].Value = (object?)record.FileId ?? DBNull.Value;
            p[4].Value = (object?)record.ContentVersionId ?? DBNull.Value;
            p[5].Value = record.RelPath;
            p[6].Value = Lower(record.Status);
            p[7].Value = (object?)record.SizeRaw ?? DBNull.Value;
            p[8].Value = (object?)record.SizeStored ?? DBNull.Value;
            p[9].Value = (object?)record.ContentHash ?? DBNull.Value;
            p[10].Value = (object?)record.ErrorType ?? DBNull.Value;
            p[11].Value = (object?)record.ErrorMessage ?? DBNull.Value;
            command.ExecuteNonQuery();
        }

        public void Dispose() => command.Dispose();
    }
}
