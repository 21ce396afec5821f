using System.Globalization;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Sessions;

[Trait("Category", TestBackend.Category)]
public sealed class ApiCostReportTests : IDisposable
{
    private static readonly string[] Models = ["claude-sonnet-4-20250514", "o3", "gpt-4.1", "my-local-model"];
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    /// <summary>Calls spread over 12 days around a price change (o3, 2025-06-10) and a DST change elsewhere, some with a given cost.</summary>
    internal static LogStore Seeded(string path, DateTimeOffset from, int count = 3000, int seed = 11)
    {
        var store = TestBackend.Open(path);
        var random = new Random(seed);
        new ApiCallStore(store).Add(Enumerable.Range(0, count).Select(i => new ApiCall
        {
            Model = Models[random.Next(Models.Length)],
            Timestamp = from.AddMilliseconds(random.NextInt64(0, 12L * 86_400_000)),
            InputTokens = random.Next(0, 20_000),
            OutputTokens = random.Next(0, 4_000),
            CacheReadTokens = random.Next(0, 50_000),
            CacheWriteTokens = random.Next(0, 5_000),
            CacheWrite1hTokens = i % 3 == 0 ? random.Next(0, 5_000) : 0,
            CostUsd = i % 5 == 0 ? random.Next(1, 100_000) / 9_973m : null,
            Machine = "m" + random.Next(3),
        }).ToList());
        return store;
    }

    /// <summary>The report computed the slow way: every row read, put in its local period, priced on its own.</summary>
    private static Dictionary<string, (long Calls, long Input, long Total, decimal Known, long Unpriced)> Direct(
        LogStore store, CalendarPeriod calendar, DateTimeOffset since, DateTimeOffset until)
    {
        var result = new Dictionary<string, (long, long, long, decimal, long)>();
        store.Database.Read(connection =>
        {
            Sql.ForEach(connection, null, """
                SELECT timestamp, model, tokens_input, tokens_output, tokens_cache_read, tokens_cache_write, cost_given,
                       CAST(round(estimated_cost_usd * 1e9) AS INTEGER), tokens_cache_write_1h
                FROM api_calls WHERE timestamp >= $s AND timestamp < $e
                """, [("$s", StoreTime.ToText(since)), ("$e", StoreTime.ToText(until))], r =>
            {
                var at = StoreTime.Parse(r.GetString(0));
                var key = calendar.Label(calendar.StartOf(at));
                var (calls, input, total, known, unpriced) = result.GetValueOrDefault(key);
                var tokens = new[] { r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(8) };
                var price = PriceTable.Embedded.Find(r.GetString(1), at);
                if (r.GetInt64(6) == 1)
                {
                    known += r.GetInt64(7) / 1_000_000_000m;
                }
                else if (price is null)
                {
                    unpriced++;
                }
                else
                {
                    known += price.Cost(tokens[0], tokens[1], tokens[2], tokens[3], tokens[4]);
                }

                result[key] = (calls + 1, input + tokens[0], total + tokens.Sum(), known, unpriced);
            });

            return true;
        });
        return result;
    }

    [Theory]
    [InlineData("UTC", "Day")]
    [InlineData("Asia/Kolkata", "Day")]
    [InlineData("Asia/Kathmandu", "Day")]
    [InlineData("America/New_York", "Day")]
    [InlineData("Australia/Lord_Howe", "Day")]
    [InlineData("Europe/Berlin", "Week")]
    [InlineData("Pacific/Chatham", "Month")]
    public void Periods_from_the_aggregates_equal_the_rows_exactly_in_any_zone(string zoneId, string unit)
    {
        // 2025-06-02..14 spans o3's price change; the March run spans the US and Lord Howe DST changes.
        foreach (var from in new[] { new DateTimeOffset(2025, 6, 2, 7, 13, 0, TimeSpan.Zero), new DateTimeOffset(2025, 3, 3, 0, 0, 0, TimeSpan.Zero) })
        {
            using var folder = new TempFolder();
            var store = Seeded(Path.Combine(folder.Path, "store"), from);
            var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            var group = Enum.Parse<ApiCostGroup>(unit);
            // Ragged edges: not on a quarter hour, so part of the range comes from the rows.
            var since = from.AddHours(5).AddMinutes(7).AddSeconds(3);
            var until = from.AddDays(11).AddMinutes(52).AddMilliseconds(17);

            var report = new ApiCostReport(store, PriceTable.Embedded);
            var rows = report.Run(since, until, group, zone);
            var expected = Direct(store, new CalendarPeriod(ApiCostReport.CalendarUnitOf(group)!.Value, zone), since, until);

            Assert.Equal(expected.Keys.Order(), rows.Select(r => r.Key!));
            foreach (var row in rows)
            {
                Assert.Equal(expected[row.Key!], (row.Calls, row.InputTokens, row.TotalTokens, row.KnownCostUsd, row.UnpricedCalls));
                Assert.Null(row.CostUsd);
            }

            Assert.Equal(["my-local-model"], report.UnpricedModels);
        }
    }

    [Fact]
    public void Day_grouping_equals_a_plain_group_by_date_over_the_rows()
    {
        var store = Seeded(temp.Combine("store"), new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var direct = new List<string>();
        store.Database.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT substr(timestamp, 1, 10), count(*), sum(tokens_input), sum(tokens_output), sum(tokens_cache_read), sum(tokens_cache_write)
                FROM api_calls GROUP BY 1 ORDER BY 1
                """;
            using var r = command.ExecuteReader();
            while (r.Read())
            {
                direct.Add(string.Join('|', Enumerable.Range(0, 6).Select(i => Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture))));
            }

            return true;
        });

        var rows = new ApiCostReport(store, PriceTable.Embedded).Run(null, null, ApiCostGroup.Day, TimeZoneInfo.Utc);

        Assert.Equal(direct, rows.Select(r => string.Join('|', r.Key, r.Calls, r.InputTokens, r.OutputTokens, r.CacheReadTokens, r.CacheWriteTokens)));
    }

    [Fact]
    public void Dimension_groupings_add_up_to_the_total_and_models_are_keys()
    {
        var store = Seeded(temp.Combine("store"), new DateTimeOffset(2025, 5, 1, 0, 0, 0, TimeSpan.Zero));
        var report = new ApiCostReport(store, PriceTable.Embedded);
        var since = new DateTimeOffset(2025, 5, 2, 3, 1, 0, TimeSpan.Zero);
        var until = new DateTimeOffset(2025, 5, 9, 0, 0, 0, TimeSpan.Zero);
        var total = Assert.Single(report.Run(since, until, ApiCostGroup.None, TimeZoneInfo.Utc));

        foreach (var group in new[] { ApiCostGroup.Model, ApiCostGroup.Machine, ApiCostGroup.Worker, ApiCostGroup.Day })
        {
            var rows = report.Run(since, until, group, TimeZoneInfo.Utc);
            Assert.Equal(total.Calls, rows.Sum(r => r.Calls));
            Assert.Equal(total.TotalTokens, rows.Sum(r => r.TotalTokens));
            Assert.Equal(total.KnownCostUsd, rows.Sum(r => r.KnownCostUsd));
            Assert.Equal(total.UnpricedCalls, rows.Sum(r => r.UnpricedCalls));
        }

        Assert.Equal(Models.Order(StringComparer.Ordinal), report.Run(since, until, ApiCostGroup.Model, TimeZoneInfo.Utc).Select(r => r.Key));
        Assert.Equal(["m0", "m1", "m2"], report.Run(since, until, ApiCostGroup.Machine, TimeZoneInfo.Utc).Select(r => r.Key));
        var priced = report.Run(since, until, ApiCostGroup.Model, TimeZoneInfo.Utc).Where(r => r.Key != "my-local-model");
        Assert.All(priced, r => Assert.Equal(r.KnownCostUsd, r.CostUsd));
    }

    [Fact]
    public void An_empty_store_reports_one_zero_total_and_no_groups()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var report = new ApiCostReport(store, PriceTable.Embedded);
        var total = Assert.Single(report.Run(null, null, ApiCostGroup.None, TimeZoneInfo.Utc));
        Assert.Equal((0L, 0m, 0m), (total.Calls, total.KnownCostUsd, total.CostUsd!.Value));
        Assert.Empty(report.Run(null, null, ApiCostGroup.Day, TimeZoneInfo.Utc));
    }

    /// <remarks>
    /// Over about a million calls the planner's cost for the report's series read passes jit_above_cost, and a server built
    /// with LLVM (Debian's postgresql) compiled that read at every report: 8-77 ms for a read of 3 ms, which made
    /// Get-ApiCost -GroupBy Day 2.5x slower on PostgreSQL than on SQLite. A cost of 0 stands for that store here.
    /// SQLite has no JIT: the PostgreSQL round of the Backend tests (LOGTOOLS_TEST_BACKEND=postgres) is this test's.
    /// </remarks>
    [Fact]
    public void On_PostgreSQL_the_store_s_sessions_run_without_JIT_also_after_the_pool_resets_them()
    {
        if (!TestBackend.IsPostgres)
        {
            return;
        }

        var store = Seeded(Path.Combine(temp.Path, "s"), new DateTimeOffset(2025, 6, 5, 0, 0, 0, TimeSpan.Zero), count: 200);
        // The report's connection goes back to the pool, whose reset (RESET ALL) must keep the setting.
        Assert.NotEmpty(new ApiCostReport(store, PriceTable.Embedded).Run(null, null, ApiCostGroup.Day, TimeZoneInfo.Utc));
        var (jit, plan) = store.Database.Read(c =>
        {
            Sql.Execute(c, null, "SET jit_above_cost = 0");
            return ((string?)Sql.Scalar(c, null, "SHOW jit"), (string?)Sql.Scalar(c, null, "EXPLAIN (ANALYZE, FORMAT JSON) SELECT sum(calls) FROM api_call_series WHERE level = 0"));
        });

        Assert.Equal("off", jit);
        Assert.DoesNotContain("\"JIT\"", plan);
    }

    [Theory]
    [InlineData("24h", 24 * 60)]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("90m", 90)]
    [InlineData("2w", 14 * 24 * 60)]
    [InlineData("1.12:00:00", 36 * 60)]
    public void Last_accepts_short_durations_and_timespans(string text, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), TimeWindow.Parse(text));

    [Fact]
    public void Bad_windows_are_clear_errors()
    {
        Assert.Equal("InvalidTimeWindow", Assert.Throws<LogToolsException>(() => TimeWindow.Parse("-3d")).ErrorId);
        Assert.Equal("InvalidTimeWindow", Assert.Throws<LogToolsException>(() => TimeWindow.Parse("soon")).ErrorId);
        var ex = Assert.Throws<LogToolsException>(() => TimeWindow.Zone("Mars/Olympus"));
        Assert.Equal(("TimeZoneNotFound", (object?)"Mars/Olympus"), (ex.ErrorId, ex.Target));
    }

    [Fact]
    public void Iso_weeks_start_on_monday_and_carry_the_iso_year()
    {
        var weeks = new CalendarPeriod(CalendarUnit.Week, TimeZoneInfo.Utc);
        var sunday = new DateTimeOffset(2024, 12, 29, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2024, 12, 23, 0, 0, 0, TimeSpan.Zero), weeks.StartOf(sunday));
        Assert.Equal("2025-W01", weeks.Label(weeks.Next(weeks.StartOf(sunday))));
    }
}
