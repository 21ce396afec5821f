namespace LogTools.Engine.Store;

/// <summary>The Store area's own tables: facts about the store and the migrations applied to it.</summary>
internal static class StoreMigrations
{
    /// <summary>
    /// LogTools 0.1.0 numbered all migrations in one sequence; these are the area and per-area version each became.
    /// Fixed history: the areas' lists keep these migrations, in this order within each area.
    /// </summary>
    internal static readonly GlobalVersion[] GlobalVersions =
    [
        new(1, "Store", 1), new(2, "Telemetry", 1), new(3, "Cost", 1), new(4, "Mirror", 1), new(5, "Cost", 2),
        new(6, "History", 1), new(7, "Cost", 3), new(8, "Telemetry", 2), new(9, "Cost", 4),
    ];

    public static StoreArea Area { get; } = new("Store", [
        new(1, "store metadata and migration history", """
            CREATE TABLE store_meta (
                key   TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            CREATE TABLE schema_migrations (
                version     INTEGER PRIMARY KEY,
                area        TEXT NOT NULL,
                description TEXT NOT NULL,
                applied_at  TEXT NOT NULL,
                applied_by  TEXT NOT NULL
            );
            """),
        new(2, "migration history keyed by area and per-area version", $"""
            CREATE TABLE schema_migrations_by_area (
                area        TEXT NOT NULL,
                version     INTEGER NOT NULL,
                description TEXT NOT NULL,
                applied_at  TEXT NOT NULL,
                applied_by  TEXT NOT NULL,
                PRIMARY KEY (area, version)
            );
            INSERT INTO schema_migrations_by_area (area, version, description, applied_at, applied_by)
            SELECT CASE version {string.Join(' ', GlobalVersions.Select(g => $"WHEN {g.Global} THEN '{g.Area}'"))} END,
                   CASE version {string.Join(' ', GlobalVersions.Select(g => $"WHEN {g.Global} THEN {g.Version}"))} END,
                   description, applied_at, applied_by
            FROM schema_migrations;
            DROP TABLE schema_migrations;
            ALTER TABLE schema_migrations_by_area RENAME TO schema_migrations;
            """),
    ], ["store_meta", "schema_migrations"]);

    /// <summary>
    /// One migration's old global number and the area and version it became. A class, not a value tuple: the Store area
    /// is built in every process, and LINQ over a value tuple is compiled at run time in each (see CostMigrations).
    /// </summary>
    internal sealed record GlobalVersion(int Global, string Area, int Version);
}
