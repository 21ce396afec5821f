using System.Collections.Concurrent;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests;

/// <summary>
/// The backend of the stores that tests marked <c>[Trait("Category", "Backend")]</c> open: SQLite store folders, or
/// with LOGTOOLS_TEST_BACKEND=postgres one database per store on a throwaway cluster of the test process, the store
/// folder becoming the content root. build.ps1 Test runs those tests a second time that way.
/// </summary>
public static class TestBackend
{
    public const string Category = "Backend";

    private static readonly ConcurrentDictionary<string, string> Locations = new();

    // Never disposed: the cluster's watchdog removes it when the test process ends.
    private static readonly Lazy<ThrowawayPostgres> Cluster = new(() => new ThrowawayPostgres());

    public static bool IsPostgres { get; } = Environment.GetEnvironmentVariable("LOGTOOLS_TEST_BACKEND") == "postgres";

    /// <summary>The store location for a store folder: the folder itself, or the same server database each time it is asked for.</summary>
    public static string Location(string folder) => IsPostgres
        ? Locations.GetOrAdd(Path.GetFullPath(folder), f => Cluster.Value.NewStore("t" + Guid.NewGuid().ToString("N")[..12], f))
        : folder;

    public static LogStore Open(string folder, StoreAccess access = StoreAccess.Write) => LogStore.Open(Location(folder), access);
}
