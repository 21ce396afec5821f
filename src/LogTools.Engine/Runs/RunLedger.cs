using System.Data.Common;
using System.Text.Json;
using LogTools.Engine.Hashing;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using static LogTools.Engine.Store.Sql;

namespace LogTools.Engine.Runs;

/// <summary>
/// Starts, feeds, completes and finds runs: the runs table and, through <see cref="RunEventWriter"/>, each run's
/// append-only log. Logging never takes a run down: a failed append is recorded on the run (logging_error,
/// events_lost) and the next successful one writes a log.gap marker first.
/// </summary>
public sealed class RunLedger(LogStore store, TimeProvider? clock = null)
{
    private const string Columns =
        "run_id, workspace_id, configuration_id, kind, status, exit_code, created_at, started_at, completed_at, summary_json, " +
        "events_path, output_paths, events_count, events_bytes, events_blake3, input_file_count, table_count, row_count, " +
        "max_severity, last_console_snippet, host, pid, process_started_at, logging_error, events_lost, max_log_bytes, events_written";

    private const int SnippetLength = 200;

    private readonly TimeProvider time = clock ?? TimeProvider.System;

    /// <summary>The run id to write into, or the error every writing cmdlet gives when there is none.</summary>
    public static string Require(string? runId) => runId ?? throw new LogToolsException(
        "NoCurrentRun", ErrorKind.InvalidOperation, null,
        "There is no current run and no -RunId was given. Run Start-LogRun first, or pass -RunId (from Get-LogRun). Nothing was changed.");

    /// <summary>Records a new run of this process; a running run gets its run.started event at once.</summary>
    public LogRun Start(string? workspace, string? configuration, string kind, RunStatus status) =>
        Start(workspace, configuration, kind, status, RunLayout.DefaultMaxLogBytes);

    /// <summary>Records a new run whose log keeps at most about <paramref name="maxLogBytes"/> (head and rolling tail).</summary>
    public LogRun Start(string? workspace, string? configuration, string kind, RunStatus status, long maxLogBytes)
    {
        if (maxLogBytes < RunLayout.MinMaxLogBytes)
        {
            throw new LogToolsException(
                "RunMaxLogSizeInvalid", ErrorKind.InvalidArgument, maxLogBytes,
                $"A run's log size cap must be at least {RunLayout.MinMaxLogBytes} bytes, not {maxLogBytes}. Nothing was changed.");
        }

        if (status is not (RunStatus.Queued or RunStatus.Running))
        {
            throw new LogToolsException(
                "RunStartStatusInvalid", ErrorKind.InvalidArgument, status,
                $"A run starts as Queued or Running, not {status}. Nothing was changed.");
        }

        var now = time.GetUtcNow();
        var id = SessionLedger.NewSessionId(now);
        var process = SessionProcess.Current();
        store.Database.Write((connection, transaction) => Execute(
            connection, transaction,
            "INSERT INTO runs (run_id, workspace_id, configuration_id, kind, status, created_at, started_at, events_path, host, pid, process_started_at, max_log_bytes) " +
            "VALUES ($id, $ws, $cfg, $kind, $status, $at, $started, $path, $host, $pid, $pstart, $max)",
            P("$id", id), P("$ws", workspace), P("$cfg", configuration), P("$kind", kind), P("$status", Lower(status)),
            P("$at", StoreTime.ToText(now)), P("$started", status == RunStatus.Running ? StoreTime.ToText(now) : null),
            P("$path", RunLayout.RelativeEventsPath(id, now)), P("$host", HostName.Current), P("$pid", process.Id),
            P("$pstart", process.StartedAt is { } p ? StoreTime.ToText(p) : null), P("$max", maxLogBytes)));
        if (status == RunStatus.Running)
        {
            var payload = FlatJson.Object(new Dictionary<string, object?>
            {
                ["kind"] = kind, ["workspace"] = workspace, ["configuration"] = configuration,
                ["host"] = HostName.Current, ["pid"] = process.Id,
            });
            Append(id, [new NewRunEvent { Type = RunEventTypes.Started, Time = now, PayloadJson = payload }]);
        }

        return Get(id);
    }

    /// <summary>
    /// Appends <paramref name="events"/> to the run's log in one batch; a run that is completed (or unknown) is refused
    /// with nothing written. When the log cannot be written (disk full, permissions), the events are counted as lost on
    /// the run and the method returns normally: logging never takes the run down.
    /// </summary>
    /// <returns>The number of events written (0 when they were lost).</returns>
    public int Append(string runId, IReadOnlyList<NewRunEvent> events) => Append(runId, events, durable: true);

    /// <param name="durable">False for a batch that more batches follow: written to the operating system, not forced to disk.</param>
    internal int Append(string runId, IReadOnlyList<NewRunEvent> events, bool durable)
    {
        if (events.Count == 0)
        {
            return 0;
        }

        var run = RequireOpen(runId);
        var path = run.EventsPath;
        var gapPending = GapPending(runId);

        LogEventSeverity? max = null;
        string? snippet = null;
        long count, bytes;
        try
        {
            using var writer = RunEventWriter.Open(path, runId, run.MaxLogBytes, durable);
            if (gapPending > 0)
            {
                writer.Append(GapMarker(gapPending));
            }

            foreach (var e in events)
            {
                writer.Append(e);
                if (e.Severity is { } s && (max is null || s > max))
                {
                    max = s;
                }

                if (e.Type == RunEventTypes.ConsoleLine && e.Message is not null)
                {
                    snippet = e.Message;
                }
            }

            count = writer.LastSequence;
            bytes = writer.Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not Journal.JournalInUseException)
        {
            RecordLoss(runId, ex, events.Count);
            return 0;
        }

        // The last process that wrote is the one whose death makes the run abandoned (a queued run is written by another).
        var process = SessionProcess.Current();
        store.Database.Write((connection, transaction) =>
        {
            var stored = Text(connection, transaction, "SELECT max_severity FROM runs WHERE run_id = $id", runId);
            var worst = RunEnvelope.ParseSeverity(stored) is { } old && (max is null || old > max) ? old : max;
            Execute(
                connection, transaction,
                "UPDATE runs SET events_count = $count, events_bytes = $bytes, gap_pending = 0, max_severity = $max, " +
                "last_console_snippet = COALESCE($snippet, last_console_snippet), " +
                "started_at = COALESCE(started_at, $now), status = CASE status WHEN 'queued' THEN 'running' ELSE status END, " +
                "host = $host, pid = $pid, process_started_at = $pstart WHERE run_id = $id",
                P("$id", runId), P("$count", count), P("$bytes", bytes), P("$max", worst?.ToString().ToLowerInvariant()),
                P("$snippet", Snippet(snippet)), P("$now", StoreTime.ToText(time.GetUtcNow())),
                P("$host", HostName.Current), P("$pid", process.Id), P("$pstart", process.StartedAt is { } p ? StoreTime.ToText(p) : null));
        });
        return events.Count;
    }

    /// <summary>Forces to disk what batches written with durable false left with the operating system.</summary>
    internal void ForceToDisk(string runId)
    {
        var run = Get(runId);
        try
        {
            // A durable writer forces the log (and its rolling tail) to disk when it is closed.
            using var writer = RunEventWriter.Open(run.EventsPath, runId, run.MaxLogBytes, durable: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not Journal.JournalInUseException)
        {
            // the lines are with the operating system already; a failure to force them is no lost event
        }
    }

    /// <summary>The run, when it exists and still takes events; otherwise the error RunNotFound or RunCompleted.</summary>
    public LogRun RequireOpen(string runId)
    {
        var run = Get(runId);
        return !run.IsCompleted ? run : throw new LogToolsException(
            "RunCompleted", ErrorKind.InvalidOperation, runId,
            $"The run '{runId}' was completed at {StoreTime.ToText(run.CompletedAt ?? run.CreatedAt)} ({run.Status}); it takes no more events. " +
            "Start a new run with Start-LogRun. Nothing was written.");
    }

    /// <summary>
    /// Completes a run (also one abandoned by a dead process): repairs a torn tail, summarises the log by streaming it,
    /// appends run.completed with the summary, records the log's BLAKE3 and the derived fields.
    /// </summary>
    /// <param name="callerJson">The caller's own summary values (a JSON object), merged into the summary, or null.</param>
    public LogRun Complete(string runId, RunStatus status, int? exitCode, IReadOnlyList<string> outputPaths, string? callerJson)
    {
        if (status is not (RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled))
        {
            throw new LogToolsException(
                "RunCompleteStatusInvalid", ErrorKind.InvalidArgument, status,
                $"A run completes as Succeeded, Failed or Cancelled, not {status}. Nothing was changed.");
        }

        var run = Get(runId);
        if (run.IsCompleted)
        {
            throw new LogToolsException(
                "RunAlreadyCompleted", ErrorKind.InvalidOperation, runId,
                $"The run '{runId}' was already completed ({run.Status}). Nothing was changed.");
        }

        var now = time.GetUtcNow();
        RunSummary summary;
        string summaryJson;
        string? digest = null;
        long? written = null;
        long count = run.EventsCount, bytes = run.EventsBytes;
        try
        {
            using (var writer = RunEventWriter.Open(run.EventsPath, runId, run.MaxLogBytes))
            {
                if (run.EventsLost > 0 && GapPending(runId) is var pending and > 0)
                {
                    writer.Append(GapMarker(pending));
                }

                writer.FoldTail();
                writer.Flush();
                summary = RunSummary.Of(run.EventsPath);
                summaryJson = summary.ToJson(callerJson);
                var payload = $"{{\"status\":\"{Lower(status)}\",\"exit_code\":{(exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null")},\"summary\":{summaryJson}}}";
                writer.Append(new NewRunEvent { Type = RunEventTypes.Completed, Time = now, PayloadJson = payload });
                count = writer.LastSequence;
                bytes = writer.Length;
            }

            digest = Blake3File.Hash(run.EventsPath).ToString();
            written = File.GetLastWriteTimeUtc(run.EventsPath).Ticks;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not Journal.JournalInUseException)
        {
            RecordLoss(runId, ex, 1);
            summary = new RunSummary();
            summaryJson = summary.ToJson(callerJson);
        }

        using var caller = callerJson is null ? null : JsonDocument.Parse(callerJson);
        store.Database.Write((connection, transaction) => Execute(
            connection, transaction,
            "UPDATE runs SET status = $status, exit_code = $exit, completed_at = $at, started_at = COALESCE(started_at, $at), summary_json = $summary, " +
            "output_paths = $outputs, events_count = $count, events_bytes = $bytes, events_blake3 = $digest, events_written = $written, gap_pending = 0, " +
            "max_severity = COALESCE($max, max_severity), last_console_snippet = COALESCE($snippet, last_console_snippet), " +
            "input_file_count = $files, table_count = $tables, row_count = $rows WHERE run_id = $id",
            P("$id", runId), P("$status", Lower(status)), P("$exit", exitCode), P("$at", StoreTime.ToText(now)), P("$summary", summaryJson),
            P("$outputs", FlatJson.Array(outputPaths)), P("$count", count), P("$bytes", bytes), P("$digest", digest),
            P("$written", written), P("$max", summary.MaxSeverity?.ToString().ToLowerInvariant()), P("$snippet", Snippet(summary.LastConsoleLine)),
            P("$files", Number(caller, "input_file_count")), P("$tables", Number(caller, "table_count")), P("$rows", Number(caller, "row_count"))));
        RunHooks.Completed.Call(hook => hook(store, runId));
        return Get(runId);
    }

    /// <summary>One run by id; an unknown id is the error RunNotFound.</summary>
    public LogRun Get(string runId) => store.Database.Read(connection => Load(connection, null, runId));

    /// <summary>Runs newest first, filtered by <paramref name="query"/>; an unknown id (not a pattern) is an error.</summary>
    public void Find(RunQuery query, Action<LogRun> sink)
    {
        var statuses = query.Status?.Where(s => s != RunStatus.Abandoned).Select(s => Lower(s)).ToList();
        var abandoned = query.Status?.Contains(RunStatus.Abandoned) == true;
        if (abandoned)
        {
            statuses!.AddRange(["running", "building"]);
        }

        var severities = SeverityLevels.AtLeast(query.MinSeverity);
        var filter = new SqlFilter()
            .AddId("run_id", "$id", query.RunId)
            .AddIn("status", "$s", statuses)
            .Add("kind = $kind", "$kind", query.Kind)
            .Add("workspace_id = $ws", "$ws", query.Workspace)
            .Add("configuration_id = $cfg", "$cfg", query.Configuration)
            .Add("created_at >= $since", "$since", query.Since is { } a ? StoreTime.ToText(a) : null)
            .Add("created_at < $until", "$until", query.Until is { } b ? StoreTime.ToText(b) : null)
            .AddIn("max_severity", "$v", severities);
        // Abandoned is decided per row (is the process alive?), so a limit can only apply after that check.
        var exact = query.Status is null || !query.Status.Any(s => s is RunStatus.Running or RunStatus.Building or RunStatus.Abandoned);
        var limit = query.First is { } first && exact ? $" LIMIT {first}" : string.Empty;
        var now = time.GetUtcNow();
        store.Database.Read(connection =>
        {
            var count = 0;
            var emitted = 0;
            Query(connection, null, $"SELECT {Columns} FROM runs{filter.Where} ORDER BY created_at DESC, run_id DESC{limit}", filter.Parameters, r => Map(r, now), run =>
            {
                count++;
                if (query.Status is { } wanted && !wanted.Contains(run.Status))
                {
                    return;
                }

                if (query.First is not { } most || emitted < most)
                {
                    emitted++;
                    sink(run);
                }
            });
            if (count == 0 && query.RunId is not null && !IdPattern.IsPattern(query.RunId))
            {
                Load(connection, null, query.RunId);
            }

            return true;
        });
    }

    /// <summary>The events path of a run as it is now: the plain log, or its compressed form.</summary>
    internal static string Existing(string path) =>
        !File.Exists(path) && File.Exists(path + RunLayout.CompressedSuffix) ? path + RunLayout.CompressedSuffix : path;

    private static NewRunEvent GapMarker(long lost) => new()
    {
        Type = RunEventTypes.Gap,
        Time = DateTimeOffset.UtcNow,
        Severity = LogEventSeverity.Warning,
        Message = $"{lost} event(s) could not be written to the log and are missing here.",
        PayloadJson = $"{{\"events_lost\":{lost}}}",
    };

    private static string? Snippet(string? message) =>
        message is null ? null : message.Length <= SnippetLength ? message : message[..(SnippetLength - 1)] + "…";

    private static long? Number(JsonDocument? document, string name) =>
        document?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty(name, out var value) && value.TryGetInt64(out var n) ? n : null;

    private static string? Text(DbConnection connection, DbTransaction? transaction, string sql, string runId) =>
        Scalar(connection, transaction, sql, P("$id", runId)) as string;

    private long GapPending(string runId) => store.Database.Read(connection =>
        Convert.ToInt64(Scalar(connection, null, "SELECT gap_pending FROM runs WHERE run_id = $id", P("$id", runId))));

    private void RecordLoss(string runId, Exception error, long lost) => store.Database.Write((connection, transaction) => Execute(
        connection, transaction,
        "UPDATE runs SET logging_error = COALESCE(logging_error, $error), events_lost = events_lost + $lost, gap_pending = gap_pending + $lost WHERE run_id = $id",
        P("$id", runId), P("$error", $"{StoreTime.ToText(time.GetUtcNow())} {error.Message}"), P("$lost", lost)));

    private LogRun Load(DbConnection connection, DbTransaction? transaction, string id)
    {
        LogRun? found = null;
        Query(connection, transaction, $"SELECT {Columns} FROM runs WHERE run_id = $id", [P("$id", id)], r => Map(r, time.GetUtcNow()), run => found = run);
        return found ?? throw new LogToolsException(
            "RunNotFound", ErrorKind.ObjectNotFound, id,
            $"There is no run '{id}' in this store. Check the id with Get-LogRun, or the store with Get-LogStore. Nothing was changed.");
    }

    private LogRun Map(DbDataReader r, DateTimeOffset now)
    {
        var stored = EnumValue<RunStatus>(r.GetString(4));
        var created = StoreTime.Parse(r.GetString(6));
        var started = Time(r, 7);
        var completed = Time(r, 8);
        var host = r.GetString(20);
        var pid = Integer(r, 21);
        var open = stored is RunStatus.Running or RunStatus.Building;
        var path = Existing(store.ContentPath(r.GetString(10).Split('/')));
        var summary = Sql.Text(r, 9);
        return new LogRun
        {
            RunId = r.GetString(0),
            WorkspaceId = Sql.Text(r, 1),
            ConfigurationId = Sql.Text(r, 2),
            Kind = r.GetString(3),
            Status = open && !SessionProcess.MayBeRunning(host, pid, Time(r, 22)) ? RunStatus.Abandoned : stored,
            ExitCode = Integer(r, 5) is { } code ? (int)code : null,
            CreatedAt = created,
            StartedAt = started,
            CompletedAt = completed,
            Duration = (completed ?? now) - (started ?? created),
            SummaryJson = summary,
            Summary = DetailsJson.Parse(summary),
            EventsPath = path,
            LogMissing = (stored != RunStatus.Queued || r.GetInt64(12) > 0) && !File.Exists(path),
            OutputPaths = Sql.Text(r, 11) is { } outputs ? FlatJson.ReadArray(outputs) : [],
            EventsCount = r.GetInt64(12),
            EventsBytes = r.GetInt64(13),
            EventsBlake3 = Sql.Text(r, 14),
            InputFileCount = Integer(r, 15),
            TableCount = Integer(r, 16),
            RowCount = Integer(r, 17),
            MaxSeverity = RunEnvelope.ParseSeverity(Sql.Text(r, 18)),
            LastConsoleSnippet = Sql.Text(r, 19),
            HostName = host,
            ProcessId = pid,
            LoggingError = Sql.Text(r, 23),
            EventsLost = r.GetInt64(24),
            MaxLogBytes = Integer(r, 25) ?? RunLayout.DefaultMaxLogBytes,
            EventsWritten = Integer(r, 26),
        };
    }
}
