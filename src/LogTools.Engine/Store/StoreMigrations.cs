namespace LogTools.Engine.Store;

/// <summary>The Store area's own tables: facts about the store and the migrations applied to it.</summary>
internal static class StoreMigrations
{
    public static IEnumerable<Migration> All { get; } =
    [
        new(1, "Store", "store metadata and migration history", """
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
    ];
}
