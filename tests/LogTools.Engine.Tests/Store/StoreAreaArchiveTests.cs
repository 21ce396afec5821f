using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Store;

/// <summary>Move-LogRecord moves what each registered area says it archives: here an area LogArchive has never heard of.</summary>
public sealed class StoreAreaArchiveTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void A_registered_areas_table_is_archived_by_its_own_time_column_into_the_monthly_databases()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        store.Database.Write((c, t) => Sql.Execute(c, t, """
            INSERT INTO probe_readings (reading_id, taken_at, value) VALUES
              (1, '2025-01-10T08:00:00.000Z', 'a'), (2, '2025-01-31T23:59:59.999Z', 'b'), (3, '2025-02-02T00:00:00.000Z', 'c'), (4, '2025-03-05T00:00:00.000Z', 'd');
            """));
        var cutoff = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);

        var plan = new LogArchive(store).Plan(cutoff);
        var moved = new LogArchive(store).Move(cutoff);

        var expected = new[] { ("2025-01", "probe_readings", 2L), ("2025-02", "probe_readings", 1L) };
        Assert.Equal(expected, plan.Select(c => (c.Month, c.Table, c.Rows)));
        Assert.Equal(expected, moved.Select(c => (c.Month, c.Table, c.Rows)));
        Assert.Equal(["4 d"], Readings(store.Database));
        Assert.Equal(["1 a", "2 b"], Readings(LogStore.OpenSchemaFile(Path.Combine(store.Path, "archive", "logs-2025-01.db"))));
        Assert.Equal(["3 c"], Readings(LogStore.OpenSchemaFile(Path.Combine(store.Path, "archive", "logs-2025-02.db"))));
        Assert.Empty(new LogArchive(store).Move(cutoff));
    }

    [Fact]
    public void An_area_cannot_archive_a_table_it_does_not_own()
    {
        var area = new StoreArea("Thief", [], []) { Archived = [new("api_calls", "call_id", "SELECT '2025-01' AS month, call_id AS pk FROM api_calls")] };

        var failure = Assert.Throws<InvalidOperationException>(() => StoreSchema.Register(area));

        Assert.Contains("api_calls", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(StoreSchema.Areas, a => a.Name == "Thief");
    }

    private static List<string> Readings(StoreDatabase database) => database.Read(c =>
    {
        var rows = new List<string>();
        Sql.ForEach(c, null, "SELECT reading_id, value FROM probe_readings ORDER BY reading_id", [], r => rows.Add($"{r.GetInt64(0)} {r.GetString(1)}"));
        return rows;
    });
}
