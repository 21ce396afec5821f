using System.Data.Common;
using LogTools.Engine.Store;
using static LogTools.Engine.Store.Sql;

namespace LogTools.Engine.Sessions;

/// <summary>
/// Records tasks and their steps (the tasks table). A task is created Detected, or Active when the coordinator starts
/// work the moment it sees it (then detected_at and started_at are the same time); it then goes Active, and finally
/// Completed or Failed. Each step stamps its own column.
/// </summary>
public sealed class TaskLedger(LogStore store, TimeProvider? clock = null)
{
    private const string Columns = "task_id, session_id, status, issue_number, title, pr_number, detected_at, started_at, completed_at, failed_at";

    private static readonly StatusFlow<LogTaskStatus> Flow = new(
        "task", "TaskTransitionInvalid",
        (LogTaskStatus.Detected, LogTaskStatus.Active),
        (LogTaskStatus.Active, LogTaskStatus.Completed),
        (LogTaskStatus.Active, LogTaskStatus.Failed));

    private readonly TimeProvider time = clock ?? TimeProvider.System;

    /// <summary>Creates the task or moves it on; an impossible step or bad input changes nothing.</summary>
    public LogTask Set(TaskChange change)
    {
        var now = time.GetUtcNow();
        var at = StoreTime.ToText(TelemetryTime.Check(change.Timestamp, now, "task timestamp"));
        var id = change.TaskId;
        return store.Database.Write((connection, transaction) =>
        {
            if (TryLoad(connection, transaction, id, now) is not { } current)
            {
                if (change.Status is not (LogTaskStatus.Detected or LogTaskStatus.Active))
                {
                    throw NotFound(id, change.Status is null ? null : $"a new task starts as Detected or Active, not {change.Status}");
                }

                var session = SessionLedger.Require(change.SessionId);
                SessionLedger.CheckExists(connection, transaction, session);
                Execute(
                    connection, transaction,
                    "INSERT INTO tasks (task_id, session_id, status, issue_number, title, pr_number, detected_at, started_at) " +
                    "VALUES ($id, $session, $status, $issue, $title, $pr, $at, $started)",
                    P("$id", id), P("$session", session), P("$status", Lower(change.Status.Value)), P("$issue", change.IssueNumber),
                    P("$title", change.Title), P("$pr", change.PrNumber), P("$at", at), P("$started", change.Status == LogTaskStatus.Active ? at : null));
            }
            else
            {
                var to = change.Status ?? current.Status;
                Flow.Check(id, current.Status, to);
                var stamp = to == current.Status ? null : to switch
                {
                    LogTaskStatus.Active => "started_at",
                    LogTaskStatus.Completed => "completed_at",
                    _ => "failed_at",
                };
                Execute(
                    connection, transaction,
                    "UPDATE tasks SET status = $status, issue_number = coalesce($issue, issue_number), title = coalesce($title, title), " +
                    $"pr_number = coalesce($pr, pr_number){(stamp is null ? string.Empty : $", {stamp} = $at")} WHERE task_id = $id",
                    P("$id", id), P("$status", Lower(to)), P("$issue", change.IssueNumber), P("$title", change.Title), P("$pr", change.PrNumber), P("$at", at));
            }

            return TryLoad(connection, transaction, id, now)!;
        });
    }

    /// <summary>Tasks in the order they were detected; a -TaskId (not a pattern) that does not exist is an ObjectNotFound error.</summary>
    public void Find(TaskQuery query, Action<LogTask> sink)
    {
        var now = time.GetUtcNow();
        const string LatestStep = "max(detected_at, coalesce(started_at, ''), coalesce(completed_at, ''), coalesce(failed_at, ''))";
        var filter = new SqlFilter()
            .AddId("task_id", "$id", query.TaskId)
            .AddIn("status", "$status", query.Statuses?.Select(Lower).ToList())
            .AddId("session_id", "$session", query.SessionId)
            .Add($"{LatestStep} >= $since", "$since", Text(query.Since))
            .Add($"{LatestStep} < $until", "$until", Text(query.Until));
        if (query.Today)
        {
            var (start, end) = TimeWindow.Today(now, time.LocalTimeZone);
            filter.Add("completed_at >= $dayStart", "$dayStart", StoreTime.ToText(start)).Add("completed_at < $dayEnd", "$dayEnd", StoreTime.ToText(end));
        }

        store.Database.Read(connection =>
        {
            var count = 0;
            Query(connection, null, $"SELECT {Columns} FROM tasks{filter.Where} ORDER BY detected_at, task_id", filter.Parameters, r => Map(r, now), task =>
            {
                count++;
                sink(task);
            });
            if (count == 0 && query.TaskId is { } id && !IdPattern.IsPattern(id) && TryLoad(connection, null, id, now) is null)
            {
                throw NotFound(id, null);
            }

            return true;
        });
    }

    /// <summary>Checks, inside another ledger's transaction, that a task exists.</summary>
    internal static void CheckExists(DbConnection connection, DbTransaction transaction, string taskId)
    {
        if (Scalar(connection, transaction, "SELECT 1 FROM tasks WHERE task_id = $id", P("$id", taskId)) is null)
        {
            throw NotFound(taskId, null);
        }
    }

    private static string? Text(DateTimeOffset? value) => value is { } v ? StoreTime.ToText(v) : null;

    private static LogTask? TryLoad(DbConnection connection, DbTransaction? transaction, string id, DateTimeOffset now)
    {
        LogTask? found = null;
        Query(connection, transaction, $"SELECT {Columns} FROM tasks WHERE task_id = $id", [P("$id", id)], r => Map(r, now), t => found = t);
        return found;
    }

    private static LogToolsException NotFound(string id, string? why) => new(
        "TaskNotFound", ErrorKind.ObjectNotFound, id,
        $"There is no task '{id}' in this store{(why is null ? string.Empty : $" ({why})")}. " +
        "Create it with Set-LogTask -Status Detected (or Active), or check the id with Get-LogTask. Nothing was changed.");

    private static LogTask Map(DbDataReader r, DateTimeOffset now)
    {
        var started = Time(r, 7);
        var completed = Time(r, 8);
        var failed = Time(r, 9);
        return new LogTask
        {
            TaskId = r.GetString(0),
            SessionId = r.GetString(1),
            Status = EnumValue<LogTaskStatus>(r.GetString(2)),
            IssueNumber = Integer(r, 3),
            Title = Sql.Text(r, 4),
            PrNumber = Integer(r, 5),
            DetectedAt = StoreTime.Parse(r.GetString(6)),
            StartedAt = started,
            CompletedAt = completed,
            FailedAt = failed,
            Duration = started is { } s ? (completed ?? failed ?? now) - s : null,
        };
    }
}
