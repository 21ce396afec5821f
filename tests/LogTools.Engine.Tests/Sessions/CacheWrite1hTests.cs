using System.Text;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LogTools.Engine.Tests.Sessions;

/// <summary>1-hour prompt-cache writes: priced at their own rate, read from Claude Code logs, and added to stores that predate them.</summary>
public sealed class CacheWrite1hTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2025, 10, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Every_claude_price_has_a_1_hour_write_at_twice_the_input_price_and_others_fall_back_to_their_write_price()
    {
        var claude = PriceTable.Embedded.Prices.Where(p => p.Model.StartsWith("claude-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(claude);
        Assert.All(claude, p => Assert.Equal(2 * p.InputPerMTok, p.CacheWrite1hPerMTok));
        Assert.All(claude, p => Assert.Equal(1.25m * p.InputPerMTok, p.CacheWritePerMTok));
        Assert.All(PriceTable.Embedded.Prices.Where(p => !p.Model.StartsWith("claude-", StringComparison.Ordinal)),
            p => Assert.Equal(p.CacheWritePerMTok, p.CacheWrite1hPerMTok));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void A_call_prices_each_kind_of_cache_write_at_its_rate()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var call = new ApiCall { Model = "claude-sonnet-4-5", InputTokens = 10, OutputTokens = 20, CacheWriteTokens = 1000, CacheWrite1hTokens = 2000, Timestamp = At };
        new ApiCallStore(store, PriceTable.Embedded).Add([call]);

        // claude-sonnet-4-5: 3 in, 15 out, 3.75 per 5-minute write, 6 per 1-hour write (per million tokens).
        var expected = (10 * 3m + 20 * 15m + 1000 * 3.75m + 2000 * 6m) / 1_000_000m;
        Assert.Equal(expected, call.EstimatedCostUsd);
        Assert.Equal(3030, call.TotalTokens);
        var row = new ApiCostReport(store, PriceTable.Embedded).Run(null, null, ApiCostGroup.None, TimeZoneInfo.Utc).Single();
        Assert.Equal((1000L, 2000L, 3030L, (decimal?)expected), (row.CacheWriteTokens, row.CacheWrite1hTokens, row.TotalTokens, row.CostUsd));
        Assert.Equal(2000, ApiCallStoreTests.Count(store, "SELECT tokens_cache_write_1h FROM api_calls"));
    }

    [Theory]
    [Trait("Category", TestBackend.Category)]
    [InlineData("\"cache_creation_input_tokens\":3000,\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000}", 1000, 2000)]
    [InlineData("\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000}", 1000, 2000)]
    [InlineData("\"cache_creation_input_tokens\":3000", 3000, 0)]
    [InlineData("\"cache_creation_input_tokens\":3000,\"cache_creation\":null", 3000, 0)]
    public void Claude_code_lines_split_cache_writes_by_lifetime(string cacheFields, long fiveMinutes, long oneHour)
    {
        var line = "{\"type\":\"assistant\",\"timestamp\":\"2025-10-01T10:00:00Z\",\"requestId\":\"r\",\"message\":{\"id\":\"m\",\"model\":\"claude-sonnet-4-5\","
            + "\"usage\":{\"input_tokens\":1,\"output_tokens\":2," + cacheFields + "}}}";
        var kind = HistoryLineParser.Parse(Encoding.UTF8.GetBytes(line), "m", null, out var call, out var defect);
        Assert.Equal(HistoryLineKind.ApiCall, kind);
        Assert.Null(defect);
        Assert.Equal((fiveMinutes, oneHour), (call!.CacheWriteTokens, call.CacheWrite1hTokens));
    }

    [Theory]
    [Trait("Category", TestBackend.Category)]
    [InlineData("\"input_tokens\":\"12\",\"output_tokens\":2", "usage.input_tokens of \"12\", which is not a token count (InvalidTokenCount")]
    [InlineData("\"input_tokens\":1,\"output_tokens\":2.5", "usage.output_tokens of 2.5, which is not a token count (InvalidTokenCount")]
    [InlineData("\"input_tokens\":1,\"output_tokens\":2,\"cache_creation\":{\"ephemeral_1h_input_tokens\":-4}", "usage.cache_creation.ephemeral_1h_input_tokens of -4")]
    [InlineData("\"input_tokens\":1,\"output_tokens\":2,\"cache_creation\":7", "a usage.cache_creation that is not an object")]
    public void Lines_with_bad_counts_are_malformed_naming_the_field_and_the_value(string usage, string expected)
    {
        var line = "{\"type\":\"assistant\",\"timestamp\":\"2025-10-01T10:00:00Z\",\"message\":{\"model\":\"claude-sonnet-4-5\",\"usage\":{" + usage + "}}}";
        var kind = HistoryLineParser.Parse(Encoding.UTF8.GetBytes(line), "m", null, out _, out var defect);
        Assert.Equal(HistoryLineKind.Malformed, kind);
        Assert.Contains(expected, defect, StringComparison.Ordinal);
    }

    [Fact]
    public void Migrating_a_store_with_calls_keeps_them_as_5_minute_writes_and_keeps_the_aggregates_exact()
    {
        // A store as the last release left it (schema 7), with calls stored before the aggregates existed.
        var folder = temp.Combine("old");
        Directory.CreateDirectory(folder);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "logtools.db")};Pooling=False"))
        {
            connection.Open();
            using var transaction = connection.BeginTransaction();
            foreach (var (global, area, version) in StoreMigrations.GlobalVersions.Where(g => g.Global <= 7))
            {
                var migration = StoreSchema.Areas.Single(a => a.Name == area).Migrations[version - 1];
                Sql.Execute(connection, transaction, migration.Sql);
                Sql.Execute(
                    connection, transaction, "INSERT INTO schema_migrations (version, area, description, applied_at, applied_by) VALUES ($v, $a, $d, '2025-10-01T00:00:00.000Z', 'LogTools 0.1.0')",
                    ("$v", global), ("$a", area), ("$d", migration.Description));
                if (global == 3)
                {
                    Sql.Execute(connection, transaction, """
                        INSERT INTO api_calls (timestamp, model, tokens_input, tokens_output, tokens_cache_read, tokens_cache_write, tokens_total, cost_given, success, machine)
                        VALUES ('2025-10-01T10:00:00.000Z', 'claude-sonnet-4-5', 1000, 100, 0, 2000, 3100, 0, 1, 'm'),
                               ('2025-10-01T11:00:00.000Z', 'claude-sonnet-4-5', 1000, 100, 0, 2000, 3100, 0, 1, 'm')
                        """);
                }
            }

            Sql.Execute(connection, transaction, "PRAGMA user_version = 7");
            transaction.Commit();
        }

        var store = TestBackend.Open(folder);
        var report = new ApiCostReport(store, PriceTable.Embedded);
        var before = report.Run(null, null, ApiCostGroup.None, TimeZoneInfo.Utc).Single();
        Assert.Equal(StoreSchema.Latest, store.Database.Read(c => Convert.ToInt32(Sql.Scalar(c, null, "PRAGMA user_version"))));
        Assert.Equal(0, ApiCallStoreTests.Count(store, "SELECT sum(tokens_cache_write_1h) FROM api_calls"));
        Assert.Equal((4000L, 0L, 6200L), (before.CacheWriteTokens, before.CacheWrite1hTokens, before.TotalTokens));
        Assert.Equal(2 * (1000 * 3m + 100 * 15m + 2000 * 3.75m) / 1_000_000m, before.CostUsd);

        // New calls, updates and deletes after the migration keep every aggregate equal to the rows.
        new ApiCallStore(store).Add([new ApiCall { Model = "claude-sonnet-4-5", InputTokens = 1, CacheWrite1hTokens = 500, Timestamp = At.AddHours(3) }]);
        store.Database.Write((c, t) => Sql.Execute(c, t, "UPDATE api_calls SET tokens_cache_write_1h = 700, tokens_total = tokens_total + 700 WHERE call_id = 2"));
        store.Database.Write((c, t) => Sql.Execute(c, t, "DELETE FROM api_calls WHERE call_id = 1"));
        Assert.Equal(1200, ApiCallStoreTests.Count(store, "SELECT sum(tokens_cache_write_1h) FROM api_calls"));
        foreach (var level in new[] { 0, 1, 2 })
        {
            Assert.Equal(1200, ApiCallStoreTests.Count(store, $"SELECT sum(tokens_cache_write_1h) FROM api_call_series WHERE level = {level}"));
            Assert.Equal(1200, ApiCallStoreTests.Count(store, $"SELECT sum(est_cache_write_1h) FROM api_call_series WHERE level = {level}"));
        }

        Assert.Equal(1200, ApiCallStoreTests.Count(store, "SELECT sum(tokens_cache_write_1h) FROM api_call_quarters"));
        var total = report.Run(null, null, ApiCostGroup.None, TimeZoneInfo.Utc).Single();
        Assert.Equal((2000L, 1200L), (total.CacheWriteTokens, total.CacheWrite1hTokens));
        Assert.Equal((1000 * 3m + 100 * 15m + 2000 * 3.75m + 700 * 6m + 1 * 3m + 500 * 6m) / 1_000_000m, total.CostUsd);
    }
}
