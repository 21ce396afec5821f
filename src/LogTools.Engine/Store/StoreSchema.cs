namespace LogTools.Engine.Store;

/// <summary>
/// Every migration of every area in version order. Each area keeps its own list next to its code;
/// this is the one place that puts them in sequence.
/// </summary>
public static class StoreSchema
{
    public static IReadOnlyList<Migration> All { get; } = Sequence(
        StoreMigrations.All, Sessions.SessionMigrations.All, Mirror.MirrorMigrations.All, Sessions.CostMigrations.All, Sessions.HistoryImportMigrations.All,
        Runs.RunsMigrations.All);

    /// <summary>The schema version this build of LogTools creates and understands.</summary>
    public static int Latest => All[^1].Version;

    private static IReadOnlyList<Migration> Sequence(params IEnumerable<Migration>[] areas)
    {
        var all = areas.SelectMany(a => a).OrderBy(m => m.Version).ToList();
        for (var i = 0; i < all.Count; i++)
        {
            // A gap or a duplicate would make user_version mean two things; fail the build's tests, not a user's store.
            if (all[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migration versions must run 1..n without gaps; found {all[i].Version} at position {i + 1}.");
            }
        }

        return all;
    }
}
