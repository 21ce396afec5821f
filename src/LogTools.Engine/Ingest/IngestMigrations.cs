using LogTools.Engine.Store;

namespace LogTools.Engine.Ingest;

/// <summary>
/// The Ingest area's tables: per-file records of a run (build_id is the run id) and phase, the blocks rebuilt from
/// them with their Merkle hashes, and one row per run and phase with its times and the root over its block roots.
/// There is no foreign key to runs: areas do not reach into each other's tables; the ledger checks the run instead.
/// </summary>
internal static class IngestMigrations
{
    public static StoreArea Area { get; } = new("Ingest", [
        new(1, "ingest_log, ingest_blocks, ingest_phases", """
            CREATE TABLE ingest_log (
                log_id             INTEGER PRIMARY KEY,
                build_id           TEXT NOT NULL,
                phase              TEXT NOT NULL,
                timestamp          TEXT NOT NULL,
                file_id            INTEGER,
                content_version_id INTEGER,
                relpath            TEXT NOT NULL,
                status             TEXT NOT NULL CHECK (status IN ('processed', 'skipped', 'error')),
                size_raw           INTEGER,
                size_stored        INTEGER,
                content_hash       TEXT,
                error_type         TEXT,
                error_msg          TEXT
            );
            CREATE INDEX ingest_log_build ON ingest_log (build_id);
            CREATE INDEX ingest_log_build_phase ON ingest_log (build_id, phase);
            CREATE TABLE ingest_blocks (
                block_id        INTEGER PRIMARY KEY,
                build_id        TEXT NOT NULL,
                phase           TEXT NOT NULL,
                block_number    INTEGER NOT NULL,
                started_at      TEXT NOT NULL,
                ended_at        TEXT NOT NULL,
                duration_sec    REAL NOT NULL,
                files_count     INTEGER NOT NULL,
                files_processed INTEGER NOT NULL,
                files_error     INTEGER NOT NULL,
                bytes_raw       INTEGER NOT NULL,
                bytes_stored    INTEGER NOT NULL,
                merkle_hash     TEXT NOT NULL,
                log_id_start    INTEGER NOT NULL,
                log_id_end      INTEGER NOT NULL,
                UNIQUE (build_id, phase, block_number)
            );
            CREATE TABLE ingest_phases (
                build_id     TEXT NOT NULL,
                phase        TEXT NOT NULL,
                started_at   TEXT,
                completed_at TEXT,
                rows_out     INTEGER,
                block_size   INTEGER,
                block_count  INTEGER,
                files_count  INTEGER,
                merkle_root  TEXT,
                built_at     TEXT,
                PRIMARY KEY (build_id, phase)
            );
            """),
        // Delta logging looks up every relpath of a run's phase: with relpath in the index it reads the index alone,
        // not one table row each. It covers (build_id, phase) too, so that index goes.
        new(2, "ingest_log (build_id, phase, relpath) index", """
            CREATE INDEX ingest_log_build_phase_relpath ON ingest_log (build_id, phase, relpath);
            DROP INDEX ingest_log_build_phase;
            """),
        // What the last delta of a run's phase read: the number of the query's rows and a BLAKE3 of their relpaths in
        // order, all of them logged since. A delta whose query starts with the same rows looks up only the rows after them.
        new(3, "ingest_deltas", """
            CREATE TABLE ingest_deltas (
                build_id        TEXT NOT NULL,
                phase           TEXT NOT NULL,
                query_rows      INTEGER NOT NULL,
                relpaths_blake3 TEXT NOT NULL,
                PRIMARY KEY (build_id, phase)
            );
            """),
    ], ["ingest_log", "ingest_blocks", "ingest_phases", "ingest_deltas"]);
}
