using LogTools.Engine.Store;
using LogTools.Engine.Tests.Hashing;
using LogTools.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LogTools.Engine.Tests.Store;

/// <summary>
/// Per-area schema versions: a store written by LogTools 0.1.0 (tests/testdata/store/release-0.1.0, one global
/// version 1..9) upgrades in place, and stores newer than this build, by any area, are refused.
/// </summary>
public sealed class StoreUpgradeTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_release_store_upgrades_in_place_keeping_every_row_and_recording_each_areas_migrations_without_running_them_again()
    {
        var folder = Release();
        var database = Path.Combine(folder, LogStore.DatabaseFileName);
        var before = Rows(database);
        var history = Query(database, "SELECT version, area, applied_at FROM schema_migrations ORDER BY version");
        Assert.Equal(9, history.Count);

        var store = LogStore.Open(folder);

        var after = Rows(database);
        // Areas newer than the release (e.g. Runs) add their tables, empty; every release table is still there. An area without
        // migrations (Archive) owns tables an older migration made.
        var newAreas = StoreSchema.Areas.Where(a => !StoreMigrations.GlobalVersions.Any(g => g.Area == a.Name) && a.Name != "Store" && a.Migrations.Count > 0).ToList();
        Assert.Equal(before.Keys.Concat(newAreas.SelectMany(a => a.Tables)).Order(), after.Keys.Order());
        foreach (var table in before.Keys.Where(t => t != "schema_migrations"))
        {
            Assert.True(before[table].Count > 0 || table is "mirror_intents" or "archive_pending", $"the fixture has no rows in {table}");
            Assert.Equal(before[table], after[table]);
        }

        // The nine old rows keep their time (nothing ran again) under their area's own version; the new rows are each area's
        // steps after the release's (the Store's rekeying, later steps of release areas such as Cost 5, every step of a new area).
        int Released(string area) => StoreMigrations.GlobalVersions.Where(g => g.Area == area).Select(g => g.Version).DefaultIfEmpty(0).Max();
        var added = StoreSchema.Areas.SelectMany(a => a.Migrations.Where(m => m.Version > Released(a.Name)).Select(m => $"{a.Name}|{m.Version}|new")).ToList();
        Assert.Contains("Store|2|new", added);
        var expected = StoreMigrations.GlobalVersions.Select(g => $"{g.Area}|{g.Version}|{history[g.Global - 1].Split('|')[2]}").Concat(added).Order();
        var recorded = Query(database, "SELECT area, version, applied_at FROM schema_migrations")
            .Select(r => added.FirstOrDefault(a => r.StartsWith(a[..(a.LastIndexOf('|') + 1)], StringComparison.Ordinal)) ?? r).Order();
        Assert.Equal(expected, recorded);
        Assert.Equal([$"{StoreSchema.Latest}"], Query(database, "PRAGMA user_version"));

        var info = store.Describe(StoreSource.Parameter, "test");
        Assert.Equal(StoreSchema.Latest, info.SchemaVersion);
        Assert.Equal(StoreSchema.Areas.Where(a => a.Latest > 0).Select(a => $"{a.Name}={a.Latest}"), info.Schema.Select(s => s.ToString()));
        Assert.Equal("Cost", info.Tables.Single(t => t.Name == "api_calls").Area);

        // The upgraded store has the tables and indexes a new store gets.
        var fresh = Path.Combine(temp.Combine("fresh"), LogStore.DatabaseFileName);
        LogStore.Open(Path.GetDirectoryName(fresh)!);
        const string Objects = "SELECT type || ' ' || name FROM sqlite_schema ORDER BY 1";
        Assert.Equal(Query(fresh, Objects), Query(database, Objects));
        Assert.Equal(Query(fresh, "SELECT area, version FROM schema_migrations ORDER BY 1, 2"), Query(database, "SELECT area, version FROM schema_migrations ORDER BY 1, 2"));
    }

    [Fact]
    public void A_reader_refuses_the_release_store_naming_the_area_behind_and_leaves_it_unchanged()
    {
        var folder = Release();
        var database = Path.Combine(folder, LogStore.DatabaseFileName);
        var bytes = File.ReadAllBytes(database);

        var failure = Assert.Throws<LogToolsException>(() => LogStore.Open(folder, StoreAccess.Read));

        Assert.Equal("StoreSchemaOutdated", failure.ErrorId);
        Assert.Contains("Store 1 of 2", failure.Message, StringComparison.Ordinal);
        var info = LogStore.Open(folder, StoreAccess.Inspect).Describe(StoreSource.Parameter, "test");
        Assert.Equal(9, info.SchemaVersion);
        var release = "Store=1, Telemetry=2, Mirror=1, Cost=4, History=1";
        var newer = StoreSchema.Areas.Where(a => a.Latest > 0 && !release.Contains(a.Name + "=", StringComparison.Ordinal)).Select(a => $", {a.Name}=0");
        Assert.Equal(release + string.Concat(newer), string.Join(", ", info.Schema.Select(s => s.ToString())));
        Assert.Equal(bytes, File.ReadAllBytes(database));
    }

    [Theory]
    [InlineData("Cost", 99, "Cost 99")]
    [InlineData("Forecast", 1, "Forecast 1 (an area this LogTools does not have)")]
    public void A_store_with_an_area_newer_than_this_build_or_unknown_to_it_is_refused_by_writers_and_readers(string area, int version, string named)
    {
        var folder = temp.Combine("store");
        LogStore.Open(folder);
        var database = Path.Combine(folder, LogStore.DatabaseFileName);
        Execute(database, $"INSERT INTO schema_migrations (area, version, description, applied_at, applied_by) VALUES ('{area}', {version}, 'future', 'now', 'LogTools 9')");
        LogStore.Open(folder).Database.ReleaseConnections();
        var moved = temp.Combine("moved");
        Directory.Move(folder, moved);

        foreach (var access in new[] { StoreAccess.Write, StoreAccess.Read, StoreAccess.Inspect })
        {
            var failure = Assert.Throws<LogToolsException>(() => LogStore.Open(moved, access));
            Assert.Equal("StoreSchemaTooNew", failure.ErrorId);
            Assert.Contains(named, failure.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_area_whose_versions_have_a_gap_or_that_takes_another_areas_table_is_not_registered()
    {
        Assert.Throws<InvalidOperationException>(() => StoreSchema.Register(new StoreArea("Gap", [new(1, "a", ""), new(3, "b", "")], [])));
        Assert.Throws<InvalidOperationException>(() => StoreSchema.Register(new StoreArea("Thief", [new(1, "a", "")], ["api_calls"])));
        Assert.Throws<InvalidOperationException>(() => StoreSchema.Register(new StoreArea("Cost", [], [])));
        Assert.DoesNotContain(StoreSchema.Areas, a => a.Name is "Gap" or "Thief");
    }

    private string Release()
    {
        var folder = temp.Combine("release");
        foreach (var file in Directory.GetFiles(Path.Combine(TestData.Root, "store", "release-0.1.0"), "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(folder, Path.GetRelativePath(Path.Combine(TestData.Root, "store", "release-0.1.0"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        return folder;
    }

    private static Dictionary<string, List<string>> Rows(string database) =>
        Query(database, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
            .ToDictionary(t => t, t => Query(database, $"SELECT * FROM \"{t}\"").Order(StringComparer.Ordinal).ToList());

    private static List<string> Query(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    private static void Execute(string database, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
