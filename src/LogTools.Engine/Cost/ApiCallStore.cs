using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using LogTools.Engine.Store;

namespace LogTools.Engine.Sessions;

/// <summary>
/// Writes API calls into a store's api_calls table. Every insert path goes through <see cref="Add"/>,
/// which adds each batch to the aggregate tables in the same transaction (see <see cref="CostMigrations"/>),
/// so reports agree with the rows whoever wrote them.
/// </summary>
public sealed class ApiCallStore
{
    private readonly LogStore store;
    private readonly PriceTable? prices;
    private readonly Dictionary<string, string> workerSessions = new(StringComparer.Ordinal);
    private readonly HashSet<string> sessions = new(StringComparer.Ordinal);

    // The one INSERT of api_calls (see Add). Only the de-duplication key makes a duplicate: OR IGNORE would also drop a row that fails a CHECK.
    internal const string InsertSql = """
        INSERT INTO api_calls (worker_id, session_id, timestamp, model, tokens_input, tokens_output,
            tokens_cache_read, tokens_cache_write, tokens_total, estimated_cost_usd, cost_given, duration_ms, success,
            machine, request_id, message_id, dedup_key, source, tokens_cache_write_1h, call_id)
        VALUES ($worker, $session, $time, $model, $in, $out, $cr, $cw, $total, $cost, $given, $duration, $success,
            $machine, $request, $message, $dedup, $source, $cw1h, $id)
        ON CONFLICT (dedup_key) DO NOTHING
        """;

    // In the order the insert loop sets them; typed, so that PostgreSQL can prepare the statement before the first values.
    internal static readonly (string Name, DbType Type)[] InsertParameters =
    [
        ("$worker", DbType.String), ("$session", DbType.String), ("$time", DbType.String), ("$model", DbType.String), ("$in", DbType.Int64),
        ("$out", DbType.Int64), ("$cr", DbType.Int64), ("$cw", DbType.Int64), ("$total", DbType.Int64), ("$cost", DbType.Double), ("$given", DbType.Int64),
        ("$duration", DbType.Int64), ("$success", DbType.Int64), ("$machine", DbType.String), ("$request", DbType.String), ("$message", DbType.String),
        ("$dedup", DbType.String), ("$source", DbType.String), ("$cw1h", DbType.Int64), ("$id", DbType.Int64),
    ];

    /// <param name="store">The store to write.</param>
    /// <param name="prices">When given, <see cref="Add"/> sets <see cref="ApiCall.EstimatedCostUsd"/> on calls without a given cost.</param>
    public ApiCallStore(LogStore store, PriceTable? prices = null)
    {
        this.store = store;
        this.prices = prices;
    }

    // Every stored call runs this: compiled fully optimised at its first call (AggressiveOptimization), not run as
    // ReadyToRun code and then through tiering, which a fresh process's first import never finishes
    // (docs/performance.md, issue 16.1).
    /// <summary>Sets one call's values, stored as <paramref name="id"/>, on an insert of <see cref="InsertSql"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Bind(RowInsert insert, ApiCall call, long id)
    {
        insert.Text(0, call.WorkerId);
        insert.Text(1, call.SessionId);
        insert.Utf8(2, StoreTime.ToUtf8(call.Timestamp, stackalloc byte[StoreTime.TextLength]));
        insert.Text(3, call.Model);
        insert.Integer(4, call.InputTokens);
        insert.Integer(5, call.OutputTokens);
        insert.Integer(6, call.CacheReadTokens);
        insert.Integer(7, call.CacheWriteTokens);
        insert.Integer(8, call.TotalTokens);
        insert.Real(9, call.CostUsd is { } cost ? (double)cost : null);
        insert.Integer(10, call.CostUsd is null ? 0L : 1L);
        insert.Integer(11, call.DurationMs);
        insert.Integer(12, call.Success ? 1L : 0L);
        insert.Text(13, call.Machine);
        insert.Text(14, call.RequestId);
        insert.Text(15, call.MessageId);
        insert.Text(16, ApiCallKey.For(call.MessageId, call.RequestId));
        insert.Text(17, call.Source);
        insert.Integer(18, call.CacheWrite1hTokens);
        insert.Integer(19, id);
    }

    /// <summary>Throws a <see cref="LogToolsException"/> naming the offending value when a call cannot be stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Validate(ApiCall call)
    {
        if (string.IsNullOrWhiteSpace(call.Model))
        {
            throw new LogToolsException("ApiCallModelMissing", ErrorKind.InvalidArgument, call,
                "The API call has no model. Give the model id (e.g. -Model claude-sonnet-4-5); nothing was stored for it.");
        }

        foreach (var (name, value) in new[]
        {
            ("InputTokens", call.InputTokens), ("OutputTokens", call.OutputTokens), ("CacheReadTokens", call.CacheReadTokens),
            ("CacheWriteTokens", call.CacheWriteTokens), ("CacheWrite1hTokens", call.CacheWrite1hTokens),
        })
        {
            TokenCount.Checked(value, name);
        }

        // TotalTokens is computed in checked arithmetic: counts whose sum does not fit are refused here.
        _ = call.TotalTokens;

        if (call.CostUsd < 0)
        {
            throw new LogToolsException("ApiCallCostNegative", ErrorKind.InvalidArgument, call.CostUsd,
                $"CostUsd is {call.CostUsd}; a cost cannot be negative. Nothing was stored for this call.");
        }

        if (call.DurationMs < 0)
        {
            throw new LogToolsException("ApiCallDurationNegative", ErrorKind.InvalidArgument, call.DurationMs,
                $"DurationMs is {call.DurationMs}; a duration cannot be negative. Nothing was stored for this call.");
        }

        TelemetryTime.Check(call.Timestamp, DateTimeOffset.UtcNow, "call's timestamp");

        if (string.IsNullOrWhiteSpace(call.Machine))
        {
            throw new LogToolsException("ApiCallMachineMissing", ErrorKind.InvalidArgument, call,
                "The API call has an empty machine name. Leave -Machine out to use this machine's name; nothing was stored for this call.");
        }
    }

    /// <summary>
    /// Checks that the worker and session a call names exist in this store, and returns the session
    /// the call belongs to: the given one, or the worker's when only the worker is given.
    /// </summary>
    public string? ResolveSession(string? workerId, string? sessionId)
    {
        if (workerId is not null)
        {
            if (!workerSessions.TryGetValue(workerId, out var ofWorker))
            {
                ofWorker = new WorkerLedger(store).SessionOf(workerId)
                    ?? throw new LogToolsException("ApiCallWorkerNotFound", ErrorKind.ObjectNotFound, workerId,
                        $"No worker '{workerId}' exists in the store '{store.Path}'. Start the worker first, or leave -WorkerId out; nothing was stored for this call.");
                workerSessions[workerId] = ofWorker;
            }

            if (sessionId is not null && sessionId != ofWorker)
            {
                throw new LogToolsException("ApiCallSessionMismatch", ErrorKind.InvalidArgument, sessionId,
                    $"Worker '{workerId}' belongs to session '{ofWorker}', not '{sessionId}'. Give the worker's session or leave -SessionId out; nothing was stored for this call.");
            }

            return ofWorker;
        }

        if (sessionId is not null && !sessions.Contains(sessionId))
        {
            if (!new SessionLedger(store).Exists(sessionId))
            {
                throw new LogToolsException("ApiCallSessionNotFound", ErrorKind.ObjectNotFound, sessionId,
                    $"No session '{sessionId}' exists in the store '{store.Path}'. Start the session first, or leave -SessionId out; nothing was stored for this call.");
            }

            sessions.Add(sessionId);
        }

        return sessionId;
    }

    /// <summary>
    /// Validates every call (any invalid call stops the whole batch before anything is written), then
    /// stores them in ONE immediate transaction, ignoring calls whose <see cref="ApiCallKey"/> is already
    /// stored (and only those: any other constraint failure is an error). <paramref name="alsoInTransaction"/> runs in the same transaction, so a caller can record
    /// its own progress atomically with the rows. Callers batch (a few thousand calls per call).
    /// </summary>
    public ApiCallAddResult Add(IEnumerable<ApiCall> calls, Action<DbConnection, DbTransaction>? alsoInTransaction = null)
    {
        var batch = calls as IReadOnlyList<ApiCall> ?? calls.ToList();
        foreach (var call in batch)
        {
            Validate(call);
        }

        var ids = store.Database.Write([MethodImpl(MethodImplOptions.AggressiveOptimization)] (connection, transaction) =>
        {
            // Ids are allocated per batch by the database: its largest call_id, read inside this write transaction (no other
            // writer adds rows before it commits), and each stored row takes the next one, given explicitly. Asking for every
            // row's id back (RETURNING) made bulk inserts measurably slower.
            var last = Convert.ToInt64(Sql.Scalar(connection, transaction, "SELECT coalesce(max(call_id), 0) FROM api_calls"));
            var next = last;
            using var insert = store.Database.PrepareInsert(connection, transaction, InsertSql, InsertParameters);
            var stored = new long?[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                Bind(insert, batch[i], checked(next + 1));
                // Not stored: ON CONFLICT skipped a duplicate, and the id stays free for the next call.
                stored[i] = insert.Run() ? ++next : null;
            }

            CostMigrations.AddCalls(store.Database, connection, transaction, batch.Where((_, i) => stored[i] is not null));

            alsoInTransaction?.Invoke(connection, transaction);
            return stored;
        });

        // Set only after the commit: a retried or failed transaction must not leave ids on the caller's objects.
        long added = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var call = batch[i];
            call.CallId = ids[i];
            added += ids[i] is null ? 0 : 1;
            if (prices is not null && call.CostUsd is null)
            {
                call.EstimatedCostUsd = prices.Find(call.Model, call.Timestamp)?.Cost(call.InputTokens, call.OutputTokens, call.CacheReadTokens, call.CacheWriteTokens, call.CacheWrite1hTokens);
            }
        }

        return new ApiCallAddResult(added, batch.Count - added);
    }
}
