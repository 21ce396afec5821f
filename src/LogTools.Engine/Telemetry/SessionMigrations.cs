using LogTools.Engine.Store;

namespace LogTools.Engine.Sessions;

/// <summary>
/// The Telemetry area's tables: agent orchestration telemetry. Column names follow the coordinator's
/// own design; conversations stay in JSONL files and only their path (workers.log_file) is stored.
/// </summary>
internal static class SessionMigrations
{
    public static StoreArea Area { get; } = new("Telemetry", [
        new(1, "sessions, tasks, workers and events", """
            CREATE TABLE sessions (
                session_id  TEXT PRIMARY KEY,
                started_at  TEXT NOT NULL,
                ended_at    TEXT,
                exit_reason TEXT CHECK (exit_reason IN ('normal', 'error', 'signal')),
                git_commit  TEXT,
                config      TEXT,
                host        TEXT NOT NULL,
                user_name   TEXT NOT NULL,
                working_dir TEXT
            );
            CREATE INDEX sessions_started ON sessions (started_at);

            CREATE TABLE tasks (
                task_id      TEXT PRIMARY KEY,
                session_id   TEXT NOT NULL REFERENCES sessions (session_id),
                issue_number INTEGER,
                title        TEXT,
                detected_at  TEXT NOT NULL,
                started_at   TEXT,
                completed_at TEXT,
                failed_at    TEXT,
                status       TEXT NOT NULL CHECK (status IN ('detected', 'active', 'completed', 'failed')),
                pr_number    INTEGER
            );
            CREATE INDEX tasks_session ON tasks (session_id);
            CREATE INDEX tasks_status ON tasks (status);
            CREATE INDEX tasks_completed ON tasks (completed_at);

            CREATE TABLE workers (
                worker_id    TEXT PRIMARY KEY,
                session_id   TEXT NOT NULL REFERENCES sessions (session_id),
                task_id      TEXT REFERENCES tasks (task_id),
                spawned_at   TEXT NOT NULL,
                completed_at TEXT,
                pid          INTEGER,
                status       TEXT NOT NULL CHECK (status IN ('spawned', 'completed', 'failed')),
                exit_code    INTEGER,
                log_file     TEXT
            );
            CREATE INDEX workers_session ON workers (session_id);
            CREATE INDEX workers_task ON workers (task_id);

            CREATE TABLE events (
                event_id     INTEGER PRIMARY KEY,
                session_id   TEXT,
                timestamp    TEXT NOT NULL,
                event_type   TEXT NOT NULL,
                context_type TEXT,
                context_id   TEXT,
                severity     TEXT NOT NULL CHECK (severity IN ('debug', 'info', 'warning', 'error', 'critical')),
                message      TEXT NOT NULL,
                details      TEXT
            );
            CREATE INDEX events_time ON events (timestamp);
            CREATE INDEX events_session_time ON events (session_id, timestamp);
            CREATE INDEX events_context_time ON events (context_id, timestamp);
            """),
        new(2, "sessions.pid and sessions.process_started_at (abandoned sessions)", """
            ALTER TABLE sessions ADD COLUMN pid INTEGER;
            ALTER TABLE sessions ADD COLUMN process_started_at TEXT;
            """),
    ], ["sessions", "tasks", "workers", "events"])
    {
        ContentFolders = ["conversations"],
        CheckContent = (store, _, _) => new WorkerLedger(store).MissingConversations(),
        // Finished sessions move whole, with their tasks and workers, into the month they started; events by their own time.
        Archived = [
            new("sessions", "session_id", "SELECT substr(started_at, 1, 7) AS month, session_id AS pk FROM sessions WHERE ended_at IS NOT NULL AND ended_at < $cutoff"),
            new("tasks", "task_id", "SELECT substr(s.started_at, 1, 7) AS month, t.task_id AS pk FROM tasks t JOIN sessions s ON s.session_id = t.session_id WHERE s.ended_at IS NOT NULL AND s.ended_at < $cutoff"),
            new("workers", "worker_id", "SELECT substr(s.started_at, 1, 7) AS month, w.worker_id AS pk FROM workers w JOIN sessions s ON s.session_id = w.session_id WHERE s.ended_at IS NOT NULL AND s.ended_at < $cutoff"),
            new("events", "event_id", "SELECT substr(timestamp, 1, 7) AS month, event_id AS pk FROM events WHERE timestamp < $cutoff") { RenumberOnClash = true },
        ],
    };
}
