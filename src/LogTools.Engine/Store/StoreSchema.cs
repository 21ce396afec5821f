using System.Data.Common;

namespace LogTools.Engine.Store;

/// <summary>
/// The registered areas and their migrations. Each area registers itself (EngineAreas lists them); the Store
/// area comes first and knows no other. A store records each area's migrations under the area's own versions,
/// and PRAGMA user_version holds the number of migrations applied, so builds from before per-area versions
/// (which read it as one global version) still refuse a store that is newer than they are.
/// </summary>
public static class StoreSchema
{
    private static readonly List<StoreArea> Registered = [StoreMigrations.Area];

    /// <summary>The areas in migration order.</summary>
    public static IReadOnlyList<StoreArea> Areas => Registered;

    /// <summary>The number of migrations this build knows: the schema version a store has after opening with it.</summary>
    public static int Latest
    {
        get
        {
            // A loop, not Sum over a selector: read on every open, and LINQ's Sum over int is compiled at run time in each new process.
            var latest = 0;
            foreach (var area in Registered)
            {
                latest += area.Migrations.Count;
            }

            return latest;
        }
    }

    /// <summary>Adds an area after those registered; areas register once, when the engine loads.</summary>
    public static void Register(StoreArea area)
    {
        // A gap, a duplicate or a table owned twice would make the store's record mean two things; fail the tests, not a user's store.
        if (Registered.Any(a => a.Name == area.Name))
        {
            throw new InvalidOperationException($"The store area '{area.Name}' is registered twice.");
        }

        for (var i = 0; i < area.Migrations.Count; i++)
        {
            if (area.Migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"The migrations of area '{area.Name}' must run 1..n without gaps; found {area.Migrations[i].Version} at position {i + 1}.");
            }
        }

        var owned = area.Tables.Intersect(Registered.SelectMany(a => a.Tables)).ToList();
        if (owned.Count > 0)
        {
            throw new InvalidOperationException($"The tables {string.Join(", ", owned)} of area '{area.Name}' belong to another area.");
        }

        var foreign = area.Archived.Select(a => a.Table).Except(area.Tables).ToList();
        if (foreign.Count > 0)
        {
            throw new InvalidOperationException($"Area '{area.Name}' archives the tables {string.Join(", ", foreign)}, which it does not own.");
        }

        Registered.Add(area);
    }

    /// <summary>The area that owns <paramref name="table"/>; null for a table no registered area created.</summary>
    public static string? Owner(string table) => Registered.FirstOrDefault(a => a.Tables.Contains(table))?.Name;

    /// <summary>
    /// Each area's version in the database, from schema_migrations: keyed by area, or (a store written before
    /// per-area versions) by the old global version, mapped as <see cref="StoreMigrations.GlobalVersions"/> says.
    /// An old global version no mapping knows becomes an area of its own name, so it reads as unknown.
    /// </summary>
    internal static Dictionary<string, int> Applied(DbConnection connection, DbTransaction? transaction)
    {
        var applied = new Dictionary<string, int>(StringComparer.Ordinal);
        var keyColumns = SqlDialect.Of(connection).KeyColumns(connection, transaction, "schema_migrations");
        void Note(string area, int version) => applied[area] = Math.Max(version, applied.GetValueOrDefault(area));
        if (keyColumns == 1)
        {
            Sql.ForEach(connection, transaction, "SELECT version FROM schema_migrations", [], r =>
            {
                var global = r.GetInt32(0);
                var known = StoreMigrations.GlobalVersions.FirstOrDefault(g => g.Global == global);
                Note(known?.Area ?? $"global version {global}", known?.Version ?? global);
            });
        }
        else if (keyColumns > 1)
        {
            Sql.ForEach(connection, transaction, "SELECT area, max(version) FROM schema_migrations GROUP BY area", [], r => Note(r.GetString(0), r.GetInt32(1)));
        }

        return applied;
    }
}
