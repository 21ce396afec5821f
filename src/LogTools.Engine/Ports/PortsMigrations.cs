using LogTools.Engine.Store;

namespace LogTools.Engine.Ports;

/// <summary>
/// The Ports area's tables: one build record per port built (hung on the Invoke-PortBuild run and on the port's own
/// run, which holds its phase output), the checksum index that lets an unchanged port be skipped, and the package
/// index. The two indexes change only when a build succeeds (a no-op may renew the stat tuples of files it read again and
/// found unchanged, and of a port.yml it parsed again).
/// </summary>
internal static class PortsMigrations
{
    public static StoreArea Area { get; } = new("Ports", [
        new(1, "port_builds, port_checksums, port_packages", """
            CREATE TABLE port_builds (
                build_id           TEXT PRIMARY KEY,
                run_id             TEXT,
                log_run_id         TEXT,
                origin             TEXT NOT NULL,
                version            TEXT NOT NULL,
                status             TEXT NOT NULL CHECK (status IN ('running', 'success', 'failed', 'abandoned')),
                reason             TEXT,
                checksum           TEXT,
                started_at         TEXT NOT NULL,
                ended_at           TEXT,
                duration_ms        INTEGER,
                failed_phase       TEXT,
                exit_code          INTEGER,
                log_path           TEXT,
                phases_json        TEXT,
                package_file       TEXT,
                host               TEXT NOT NULL,
                pid                INTEGER,
                process_started_at TEXT
            );
            CREATE INDEX port_builds_origin_started ON port_builds (origin, started_at);
            CREATE INDEX port_builds_status ON port_builds (status);
            CREATE TABLE port_checksums (
                origin     TEXT PRIMARY KEY,
                checksum   TEXT NOT NULL,
                files_json TEXT NOT NULL,
                build_id   TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            CREATE TABLE port_packages (
                origin       TEXT PRIMARY KEY,
                version      TEXT NOT NULL,
                build_id     TEXT NOT NULL,
                package_file TEXT NOT NULL,
                updated_at   TEXT NOT NULL
            );
            """),
        new(2, "port_checksums: the folder sum and the files' stat tuples", """
            ALTER TABLE port_checksums ADD COLUMN folder_digest TEXT;
            ALTER TABLE port_checksums ADD COLUMN file_stats TEXT;
            """),
        new(3, "port_checksums: the port.yml as read and the stat tuple that vouches for it", """
            ALTER TABLE port_checksums ADD COLUMN spec_stat TEXT;
            ALTER TABLE port_checksums ADD COLUMN spec_json TEXT;
            """),
    ], ["port_builds", "port_checksums", "port_packages"]);
}
