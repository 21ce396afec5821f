using System.Data.Common;
using LogTools.Engine.Store;
using static LogTools.Engine.Store.Sql;

namespace LogTools.Engine.Sessions;

/// <summary>
/// Records worker agents (the workers table): created Spawned, then Completed or Failed (both stamp completed_at).
/// Reading joins each worker's API-call count and tokens in the same query.
/// </summary>
public sealed class WorkerLedger(LogStore store, TimeProvider? clock = null)
{
    // One query: the workers with the Cost area's per-worker totals LEFT JOINed, so workers without calls show 0.
    private const string Select = $"""
        SELECT w.worker_id, w.session_id, w.task_id, w.status, w.spawned_at, w.completed_at, w.pid, w.exit_code, w.log_file,
               coalesce(a.calls, 0), coalesce(a.tokens, 0)
        FROM workers w
        LEFT JOIN {ApiCallTotals.ByWorker} a ON a.worker_id = w.worker_id
        """;

    private static readonly StatusFlow<LogWorkerStatus> Flow = new(
        "worker", "WorkerTransitionInvalid",
        (LogWorkerStatus.Spawned, LogWorkerStatus.Completed),
        (LogWorkerStatus.Spawned, LogWorkerStatus.Failed));

    private readonly TimeProvider time = clock ?? TimeProvider.System;

    /// <summary>Creates the worker or moves it on; an impossible step or bad input changes nothing.</summary>
    public LogWorker Set(WorkerChange change)
    {
        var now = time.GetUtcNow();
        var at = StoreTime.ToText(TelemetryTime.Check(change.Timestamp, now, "worker timestamp"));
        var id = change.WorkerId;
        return store.Database.Write((connection, transaction) =>
        {
            if (change.TaskId is { } task)
            {
                TaskLedger.CheckExists(connection, transaction, task);
            }

            if (TryLoad(connection, transaction, id, now) is not { } current)
            {
                if (change.Status is not LogWorkerStatus.Spawned)
                {
                    throw NotFound(id, change.Status is null ? null : $"a new worker starts as Spawned, not {change.Status}");
                }

                var session = SessionLedger.Require(change.SessionId);
                SessionLedger.CheckExists(connection, transaction, session);
                Execute(
                    connection, transaction,
                    "INSERT INTO workers (worker_id, session_id, task_id, status, spawned_at, pid, exit_code, log_file) " +
                    "VALUES ($id, $session, $task, 'spawned', $at, $pid, $exit, $log)",
                    P("$id", id), P("$session", session), P("$task", change.TaskId), P("$at", at),
                    P("$pid", change.ProcessId), P("$exit", change.ExitCode), P("$log", change.LogFile));
            }
            else
            {
                var to = change.Status ?? current.Status;
                Flow.Check(id, current.Status, to);
                Execute(
                    connection, transaction,
                    "UPDATE workers SET status = $status, task_id = coalesce($task, task_id), pid = coalesce($pid, pid), " +
                    "exit_code = coalesce($exit, exit_code), log_file = coalesce($log, log_file)" +
                    $"{(to == current.Status ? string.Empty : ", completed_at = $at")} WHERE worker_id = $id",
                    P("$id", id), P("$status", Lower(to)), P("$task", change.TaskId), P("$pid", change.ProcessId),
                    P("$exit", change.ExitCode), P("$log", change.LogFile), P("$at", at));
            }

            return TryLoad(connection, transaction, id, now)!;
        });
    }

    /// <summary>The session of worker <paramref name="workerId"/>, or null when there is no such worker: what other areas may know of a worker.</summary>
    public string? SessionOf(string workerId) =>
        store.Database.Read(c => Scalar(c, null, "SELECT session_id FROM workers WHERE worker_id = $id", ("$id", workerId)) as string);

    /// <summary>The task of each worker that has one, in <paramref name="database"/> (the store's or an archive's): what cost reports group by.</summary>
    public static Dictionary<string, string> TasksOfWorkers(StoreDatabase database) => database.Read(connection =>
    {
        var tasks = new Dictionary<string, string>(StringComparer.Ordinal);
        ForEach(connection, null, "SELECT worker_id, task_id FROM workers WHERE task_id IS NOT NULL", [], r => tasks[r.GetString(0)] = r.GetString(1));
        return tasks;
    });

    /// <summary>The worker <paramref name="workerId"/>; an unknown id is an ObjectNotFound error.</summary>
    public LogWorker Get(string workerId)
    {
        var now = time.GetUtcNow();
        return store.Database.Read(connection => TryLoad(connection, null, workerId, now)) ?? throw NotFound(workerId, null);
    }

    /// <summary>The conversation log recorded for a worker; a worker without one is an error saying how to record it.</summary>
    public string LogFileOf(string workerId) => Get(workerId).LogFile
        ?? throw new LogToolsException(
            "WorkerHasNoLogFile", ErrorKind.ObjectNotFound, workerId,
            $"The worker '{workerId}' has no log file recorded. Record it with Set-LogWorker -WorkerId {workerId} -LogFile <path>.");

    /// <summary>The worker timeline: workers in the order they were spawned; a -WorkerId (not a pattern) that does not exist is an error.</summary>
    public void Find(WorkerQuery query, Action<LogWorker> sink)
    {
        var now = time.GetUtcNow();
        var filter = new SqlFilter()
            .AddId("w.worker_id", "$id", query.WorkerId)
            .AddId("w.session_id", "$session", query.SessionId)
            .AddId("w.task_id", "$task", query.TaskId)
            .AddIn("w.status", "$status", query.Statuses?.Select(Lower).ToList());
        store.Database.Read(connection =>
        {
            var count = 0;
            Query(connection, null, $"{Select}{filter.Where} ORDER BY w.spawned_at, w.worker_id", filter.Parameters, r => Map(r, now), worker =>
            {
                count++;
                sink(worker);
            });
            if (count == 0 && query.WorkerId is { } id && !IdPattern.IsPattern(id) && TryLoad(connection, null, id, now) is null)
            {
                throw NotFound(id, null);
            }

            return true;
        });
    }

    private static LogWorker? TryLoad(DbConnection connection, DbTransaction? transaction, string id, DateTimeOffset now)
    {
        LogWorker? found = null;
        Query(connection, transaction, $"{Select} WHERE w.worker_id = $id", [P("$id", id)], r => Map(r, now), w => found = w);
        return found;
    }

    private static LogToolsException NotFound(string id, string? why) => new(
        "WorkerNotFound", ErrorKind.ObjectNotFound, id,
        $"There is no worker '{id}' in this store{(why is null ? string.Empty : $" ({why})")}. " +
        "Create it with Set-LogWorker -Status Spawned, or check the id with Get-LogWorker. Nothing was changed.");

    private static LogWorker Map(DbDataReader r, DateTimeOffset now)
    {
        var spawned = StoreTime.Parse(r.GetString(4));
        var completed = Time(r, 5);
        return new LogWorker
        {
            WorkerId = r.GetString(0),
            SessionId = r.GetString(1),
            TaskId = Text(r, 2),
            Status = EnumValue<LogWorkerStatus>(r.GetString(3)),
            SpawnedAt = spawned,
            CompletedAt = completed,
            ProcessId = Integer(r, 6),
            ExitCode = Integer(r, 7),
            LogFile = Text(r, 8),
            ApiCalls = r.GetInt64(9),
            TokensTotal = r.GetInt64(10),
            Duration = (completed ?? now) - spawned,
        };
    }

    /// <summary>Test-LogStore's check of the Telemetry area: the conversation files (workers.log_file) that are missing.</summary>
    internal IEnumerable<StoreProblem> MissingConversations()
    {
        var conversations = new List<(string Worker, string File)>();
        Find(new WorkerQuery(), w =>
        {
            if (w.LogFile is not null)
            {
                conversations.Add((w.WorkerId, Path.GetFullPath(w.LogFile, store.Path)));
            }
        });
        return conversations.Where(c => !File.Exists(c.File)).Select(c => new StoreProblem
        {
            Kind = StoreProblemKind.ConversationMissing, Path = c.File, Message = $"The conversation file of worker '{c.Worker}' is missing.",
        });
    }
}
