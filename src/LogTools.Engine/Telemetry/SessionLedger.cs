using System.Data.Common;
using LogTools.Engine.Store;
using static LogTools.Engine.Store.Sql;

namespace LogTools.Engine.Sessions;

/// <summary>Starts, stops and finds coordinator sessions (the sessions table).</summary>
public sealed class SessionLedger(LogStore store, TimeProvider? clock = null)
{
    private const string Columns = "session_id, started_at, ended_at, exit_reason, git_commit, config, host, user_name, working_dir, pid, process_started_at";
    private readonly TimeProvider time = clock ?? TimeProvider.System;

    /// <summary>A readable id that sorts by start time: UTC date and time, then a random suffix.</summary>
    public static string NewSessionId(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 3).ToLowerInvariant()}";

    /// <summary>The session id to write into, or the error every writing cmdlet gives when there is none.</summary>
    public static string Require(string? sessionId) => sessionId ?? throw new LogToolsException(
        "NoCurrentSession", ErrorKind.InvalidOperation, null,
        "There is no current LogTools session and no -SessionId was given. Run Start-LogSession first, or pass -SessionId " +
        "(from Get-LogSession) to write into an existing session. Nothing was changed.");

    /// <summary>Whether session <paramref name="sessionId"/> exists: what other areas may know of a session.</summary>
    public bool Exists(string sessionId) =>
        store.Database.Read(c => Sql.Scalar(c, null, "SELECT 1 FROM sessions WHERE session_id = $id", ("$id", sessionId))) is not null;

    /// <summary>Records a new session started now by this process, in <paramref name="workingDirectory"/>.</summary>
    /// <param name="sessionId">The id to use, or null for a new one.</param>
    /// <param name="workingDirectory">Where the coordinator runs; its git commit is recorded when it is in a repository.</param>
    /// <param name="config">The settings snapshot as JSON text, or null.</param>
    public LogSession Start(string? sessionId, string workingDirectory, string? config)
    {
        var now = time.GetUtcNow();
        var id = sessionId ?? NewSessionId(now);
        var commit = GitCommit.Find(workingDirectory);
        var process = SessionProcess.Current();
        return store.Database.Write((connection, transaction) =>
        {
            if (Scalar(connection, transaction, "SELECT 1 FROM sessions WHERE session_id = $id", P("$id", id)) is not null)
            {
                throw new LogToolsException(
                    "SessionExists", ErrorKind.InvalidOperation, id,
                    $"A session '{id}' already exists in this store. Give another -SessionId, or leave it out for a new one.");
            }

            Execute(
                connection, transaction,
                "INSERT INTO sessions (session_id, started_at, git_commit, config, host, user_name, working_dir, pid, process_started_at) " +
                "VALUES ($id, $at, $commit, $config, $host, $user, $dir, $pid, $processStarted)",
                P("$id", id), P("$at", StoreTime.ToText(now)), P("$commit", commit), P("$config", config),
                P("$host", HostName.Current), P("$user", Environment.UserName), P("$dir", workingDirectory),
                P("$pid", process.Id), P("$processStarted", process.StartedAt is { } p ? StoreTime.ToText(p) : null));
            return Load(connection, transaction, id);
        });
    }

    /// <summary>Stamps the session's end; a session already stopped is refused and left as it was.</summary>
    public LogSession Stop(string? sessionId, SessionExitReason reason)
    {
        var id = Require(sessionId);
        return store.Database.Write((connection, transaction) =>
        {
            var session = Load(connection, transaction, id);
            if (session.EndedAt is { } ended)
            {
                throw new LogToolsException(
                    "SessionAlreadyStopped", ErrorKind.InvalidOperation, id,
                    $"The session '{id}' was already stopped at {StoreTime.ToText(ended)} ({session.ExitReason}). Nothing was changed.");
            }

            Execute(
                connection, transaction, "UPDATE sessions SET ended_at = $at, exit_reason = $reason WHERE session_id = $id",
                P("$id", id), P("$at", StoreTime.ToText(time.GetUtcNow())), P("$reason", Lower(reason)));
            return Load(connection, transaction, id);
        });
    }

    /// <summary>
    /// Sessions oldest first, filtered by any of id (or wildcard pattern), still running (not stopped, not abandoned),
    /// and start time range (or today, local calendar); an unknown id (not a pattern) is an error.
    /// </summary>
    public void Find(string? sessionId, bool activeOnly, bool today, DateTimeOffset? since, DateTimeOffset? until, Action<LogSession> sink)
    {
        (since, until) = TimeWindow.Select(today, since, until, time);
        var filter = new SqlFilter()
            .AddId("session_id", "$id", sessionId)
            .When(activeOnly, "ended_at IS NULL")
            .Add("started_at >= $since", "$since", since is { } a ? StoreTime.ToText(a) : null)
            .Add("started_at < $until", "$until", until is { } b ? StoreTime.ToText(b) : null);
        var now = time.GetUtcNow();
        store.Database.Read(connection =>
        {
            var count = 0;
            Query(connection, null, $"SELECT {Columns} FROM sessions{filter.Where} ORDER BY started_at, session_id", filter.Parameters, r => Map(r, now), session =>
            {
                count++;
                if (!activeOnly || session.IsActive)
                {
                    sink(session);
                }
            });
            if (count == 0 && sessionId is not null && !IdPattern.IsPattern(sessionId))
            {
                // Distinguish "no such session" from "it exists but other filters leave it out".
                Load(connection, null, sessionId);
            }

            return true;
        });
    }

    /// <summary>Checks, inside another ledger's transaction, that a session exists.</summary>
    internal static void CheckExists(DbConnection connection, DbTransaction transaction, string sessionId)
    {
        if (Scalar(connection, transaction, "SELECT 1 FROM sessions WHERE session_id = $id", P("$id", sessionId)) is null)
        {
            throw NotFound(sessionId);
        }
    }

    private LogSession Load(DbConnection connection, DbTransaction? transaction, string id)
    {
        LogSession? found = null;
        var now = time.GetUtcNow();
        Query(connection, transaction, $"SELECT {Columns} FROM sessions WHERE session_id = $id", [P("$id", id)], r => Map(r, now), s => found = s);
        return found ?? throw NotFound(id);
    }

    private static LogToolsException NotFound(string id) => new(
        "SessionNotFound", ErrorKind.ObjectNotFound, id,
        $"There is no session '{id}' in this store. Check the id with Get-LogSession, or the store with Get-LogStore. Nothing was changed.");

    private static LogSession Map(DbDataReader r, DateTimeOffset now)
    {
        var started = StoreTime.Parse(r.GetString(1));
        var ended = Time(r, 2);
        var host = r.GetString(6);
        var processId = Integer(r, 9);
        var config = Text(r, 5);
        return new LogSession
        {
            SessionId = r.GetString(0),
            StartedAt = started,
            EndedAt = ended,
            ExitReason = Text(r, 3) is { } reason ? EnumValue<SessionExitReason>(reason) : null,
            GitCommit = Text(r, 4),
            Config = DetailsJson.Parse(config),
            ConfigJson = config,
            HostName = host,
            ProcessId = processId,
            Status = ended is not null ? LogSessionStatus.Stopped
                : SessionProcess.MayBeRunning(host, processId, Time(r, 10)) ? LogSessionStatus.Active
                : LogSessionStatus.Abandoned,
            UserName = r.GetString(7),
            WorkingDirectory = Text(r, 8),
            Duration = (ended ?? now) - started,
        };
    }
}
