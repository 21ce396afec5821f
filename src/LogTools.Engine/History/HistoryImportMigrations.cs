using LogTools.Engine.Store;

namespace LogTools.Engine.Sessions;

/// <summary>
/// The history importer's own table: how far each imported log file has been read, so a re-import reads only
/// what was appended and an unchanged file is not opened at all.
/// </summary>
internal static class HistoryImportMigrations
{
    public static StoreArea Area { get; } = new("History", [
        // size is NULL while a file's import is part-way (a batch committed, more to come), so an interrupted
        // import never looks "unchanged" and resumes from end_offset next time.
        new(1, "history_import_files (per-file state of Import-LogHistory)", """
            CREATE TABLE history_import_files (
                path        TEXT NOT NULL,
                machine     TEXT NOT NULL,
                size        INTEGER,
                mtime       TEXT NOT NULL,
                end_offset  INTEGER NOT NULL CHECK (end_offset >= 0),
                fingerprint TEXT NOT NULL,
                imported_at TEXT NOT NULL,
                PRIMARY KEY (path, machine)
            );
            """),
    ], ["history_import_files"]);
}
