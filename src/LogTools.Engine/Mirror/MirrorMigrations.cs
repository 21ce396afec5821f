using LogTools.Engine.Store;

namespace LogTools.Engine.Mirror;

/// <summary>
/// The Mirror area's tables: the configured log sources, the state of every mirrored file (length,
/// BLAKE3, resumable hash state of the active file, cheap prefix digests, status), and the one
/// pending pond rename per source that a crash may leave half done.
/// </summary>
internal static class MirrorMigrations
{
    public static StoreArea Area { get; } = new("Mirror", [
        new(1, "mirror_sources, mirror_files and mirror_intents", """
            CREATE TABLE mirror_sources (
                source           TEXT PRIMARY KEY,
                pond_path        TEXT NOT NULL UNIQUE,
                archived_pattern TEXT NOT NULL,
                active_pattern   TEXT NOT NULL,
                config_path      TEXT,
                created_at       TEXT NOT NULL,
                synced_at        TEXT
            );

            CREATE TABLE mirror_files (
                source            TEXT NOT NULL REFERENCES mirror_sources (source),
                name              TEXT NOT NULL,
                kind              TEXT NOT NULL CHECK (kind IN ('archived', 'active', 'preserved')),
                status            TEXT NOT NULL CHECK (status IN ('ok', 'changed-on-host', 'gone-from-host', 'rotated', 'preserved-truncation')),
                host_path         TEXT,
                length            INTEGER NOT NULL CHECK (length >= 0),
                blake3            TEXT NOT NULL,
                hash_state        BLOB,
                first_chunk       TEXT,
                last_chunk        TEXT,
                host_length       INTEGER,
                host_mtime_ticks  INTEGER,
                host_blake3       TEXT,
                unaccounted_bytes INTEGER NOT NULL DEFAULT 0,
                message           TEXT,
                mirrored_at       TEXT NOT NULL,
                updated_at        TEXT NOT NULL,
                PRIMARY KEY (source, name)
            );

            CREATE TABLE mirror_intents (
                source     TEXT PRIMARY KEY REFERENCES mirror_sources (source),
                operation  TEXT NOT NULL CHECK (operation IN ('rotate', 'preserve')),
                from_name  TEXT NOT NULL,
                to_name    TEXT NOT NULL,
                length     INTEGER NOT NULL,
                created_at TEXT NOT NULL
            );
            """),
    ], ["mirror_sources", "mirror_files", "mirror_intents"])
    {
        ContentFolders = ["pond"],
        CheckContent = MirrorCatalog.PondProblems,
    };
}
