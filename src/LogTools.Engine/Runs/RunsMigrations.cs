using LogTools.Engine.Store;

namespace LogTools.Engine.Runs;

/// <summary>
/// The Runs area's table: one row per run with its status, summary and pointers. The events themselves live in
/// the run's NDJSON file (see <see cref="RunLayout"/>), never in rows.
/// </summary>
internal static class RunsMigrations
{
    public static StoreArea Area { get; } = new("Runs", [
        new(1, "runs", """
            CREATE TABLE runs (
                run_id               TEXT PRIMARY KEY,
                workspace_id         TEXT,
                configuration_id     TEXT,
                kind                 TEXT NOT NULL,
                status               TEXT NOT NULL CHECK (status IN ('queued', 'building', 'running', 'succeeded', 'failed', 'cancelled')),
                exit_code            INTEGER,
                created_at           TEXT NOT NULL,
                started_at           TEXT,
                completed_at         TEXT,
                summary_json         TEXT,
                events_path          TEXT NOT NULL,
                output_paths         TEXT,
                events_count         INTEGER NOT NULL DEFAULT 0,
                events_bytes         INTEGER NOT NULL DEFAULT 0,
                events_blake3        TEXT,
                input_file_count     INTEGER,
                table_count          INTEGER,
                row_count            INTEGER,
                max_severity         TEXT,
                last_console_snippet TEXT,
                host                 TEXT NOT NULL,
                pid                  INTEGER,
                process_started_at   TEXT,
                logging_error        TEXT,
                events_lost          INTEGER NOT NULL DEFAULT 0,
                gap_pending          INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX runs_created ON runs (created_at);
            CREATE INDEX runs_status_created ON runs (status, created_at);
            CREATE INDEX runs_kind_created ON runs (kind, created_at);
            CREATE INDEX runs_workspace_created ON runs (workspace_id, created_at);
            CREATE INDEX runs_configuration_created ON runs (configuration_id, created_at);
            """),
        new(2, "runs.max_log_bytes (the size cap of each run's log)", "ALTER TABLE runs ADD COLUMN max_log_bytes INTEGER;"),
        new(3, "runs.events_written (the log's last-write time at completion, for the replay's fast path)", "ALTER TABLE runs ADD COLUMN events_written INTEGER;"),
    ], ["runs"])
    {
        ContentFolders = [RunLayout.Folder],
        CheckContent = RunMaintenance.StoreProblems,
    };
}
