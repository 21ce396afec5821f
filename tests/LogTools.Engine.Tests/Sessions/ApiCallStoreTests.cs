using System.Data.Common;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Sessions;

public sealed class ApiCallStoreTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private LogStore Store() => TestBackend.Open(temp.Combine("store"));

    private static ApiCall Call(string model = "claude-sonnet-4-20250514", long input = 1000, string? message = null, string? request = null,
        DateTimeOffset? at = null, decimal? cost = null) => new()
        {
            Model = model, InputTokens = input, OutputTokens = 200, CacheReadTokens = 3000, CacheWriteTokens = 400,
            Timestamp = at ?? new DateTimeOffset(2025, 6, 1, 10, 0, 0, TimeSpan.Zero), MessageId = message, RequestId = request, CostUsd = cost,
            Machine = "m1", DurationMs = 1500, Source = "test",
        };

    internal static long Count(LogStore store, string sql) => store.Database.Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar());
    });

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void The_key_joins_message_and_request_and_is_null_unless_both_are_known()
    {
        Assert.Equal("msg_1:req_1", ApiCallKey.For("msg_1", "req_1"));
        Assert.Null(ApiCallKey.For("msg_1", null));
        Assert.Null(ApiCallKey.For(null, "req_1"));
        Assert.Null(ApiCallKey.For("", "req_1"));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Add_stores_every_column_and_ignores_calls_already_stored_by_key()
    {
        var store = Store();
        var calls = new ApiCallStore(store, PriceTable.Embedded);
        var first = calls.Add([Call(message: "m", request: "r"), Call(), Call(cost: 0.25m)]);
        var again = calls.Add([Call(message: "m", request: "r"), Call(message: "m", request: "other")]);

        Assert.Equal(new ApiCallAddResult(3, 0), first);
        Assert.Equal(new ApiCallAddResult(1, 1), again);
        Assert.Equal(4, Count(store, "SELECT count(*) FROM api_calls"));
        Assert.Equal(1, Count(store, "SELECT count(*) FROM api_calls WHERE dedup_key = 'm:r'"));
        Assert.Equal(4600, Count(store, "SELECT tokens_total FROM api_calls WHERE call_id = 1"));
        Assert.Equal(1, Count(store, "SELECT count(*) FROM api_calls WHERE cost_given = 1 AND estimated_cost_usd = 0.25"));
        Assert.Equal(3, Count(store, "SELECT count(*) FROM api_calls WHERE estimated_cost_usd IS NULL AND cost_given = 0"));
        Assert.Equal(1, Count(store, "SELECT count(*) FROM api_calls WHERE timestamp = '2025-06-01T10:00:00.000Z' AND machine = 'm1' AND duration_ms = 1500 AND source = 'test' AND call_id = 1"));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Add_sets_the_stored_id_and_the_estimate_on_the_callers_objects()
    {
        var call = Call();
        var duplicate = Call(message: "a", request: "b");
        var calls = new ApiCallStore(Store(), PriceTable.Embedded);
        calls.Add([Call(message: "a", request: "b")]);
        calls.Add([call, duplicate]);

        Assert.Equal(2, call.CallId);
        Assert.Null(duplicate.CallId);
        // claude-sonnet-4: 3 in, 15 out, 0.30 cache read, 3.75 cache write per million tokens.
        Assert.Equal((1000 * 3m + 200 * 15m + 3000 * 0.3m + 400 * 3.75m) / 1_000_000m, call.EstimatedCostUsd);
    }

    [Theory]
    [Trait("Category", TestBackend.Category)]
    [InlineData("tokens", "InvalidTokenCount")]
    [InlineData("future", "TimestampOutOfRange")]
    [InlineData("model", "ApiCallModelMissing")]
    [InlineData("cost", "ApiCallCostNegative")]
    public void An_invalid_call_stops_its_whole_batch_with_a_stable_id(string what, string errorId)
    {
        var store = Store();
        var bad = what switch
        {
            "tokens" => Call(input: -1),
            "future" => Call(at: DateTimeOffset.UtcNow.AddMinutes(10)),
            "model" => Call(model: " "),
            _ => Call(cost: -1m),
        };

        var ex = Assert.Throws<LogToolsException>(() => new ApiCallStore(store).Add([Call(), bad]));

        Assert.Equal(errorId, ex.ErrorId);
        Assert.Equal(0, Count(store, "SELECT count(*) FROM api_calls"));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Work_given_to_Add_runs_in_the_same_transaction_as_the_rows()
    {
        var store = Store();
        var calls = new ApiCallStore(store);
        Assert.Throws<InvalidOperationException>(() => calls.Add([Call()], (_, _) => throw new InvalidOperationException("interrupted")));
        Assert.Equal(0, Count(store, "SELECT count(*) FROM api_calls"));

        calls.Add([Call()], (connection, transaction) =>
        {
            using DbCommand command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO store_meta (key, value) VALUES ('import-test', 'done')";
            command.ExecuteNonQuery();
        });
        Assert.Equal(1, Count(store, "SELECT count(*) FROM api_calls"));
        Assert.Equal(1, Count(store, "SELECT count(*) FROM store_meta WHERE key = 'import-test'"));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void The_aggregates_follow_inserts_updates_and_deletes_exactly()
    {
        var store = Store();
        var start = new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(7);
        new ApiCallStore(store).Add(Enumerable.Range(0, 500).Select(i => Call(
            model: i % 3 == 0 ? "gpt-4.1" : "claude-opus-4-1", input: random.Next(0, 5000),
            at: start.AddMinutes(random.Next(0, 60 * 24 * 5)), cost: i % 4 == 0 ? random.Next(1, 1000) / 997m : null)).ToList());
        store.Database.Write((c, t) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = "DELETE FROM api_calls WHERE call_id % 5 = 0; UPDATE api_calls SET tokens_input = tokens_input + 1, model = 'o3' WHERE call_id % 7 = 0;";
            command.ExecuteNonQuery();
        });

        AssertAggregatesMatchRows(store.Database);
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void The_ids_handed_back_are_the_stored_rows_ids_when_duplicates_sit_inside_a_batch()
    {
        var store = Store();
        var calls = new ApiCallStore(store);
        calls.Add([Call(message: "m1", request: "r")]);
        var batch = new[] { Call(message: "m2", request: "r"), Call(message: "m1", request: "r"), Call(message: "m3", request: "r"), Call(message: "m2", request: "r") };

        calls.Add(batch);

        Assert.Equal([2, null, 3, null], batch.Select(c => c.CallId));
        Assert.Equal(3, Count(store, "SELECT call_id FROM api_calls WHERE message_id = 'm3'"));
        Assert.Equal(3, Count(store, "SELECT calls FROM api_call_series WHERE level = 0"));
    }

    [Fact]
    public void After_batches_with_duplicates_and_a_move_every_aggregate_equals_a_fresh_group_by()
    {
        var store = Store();
        var calls = new ApiCallStore(store);
        var start = new DateTimeOffset(2025, 1, 20, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(11);
        ApiCall Next(int i) => new()
        {
            Model = (i % 3) switch { 0 => "gpt-4.1", 1 => "claude-opus-4-1", _ => "o3" }, InputTokens = random.Next(0, 5000), OutputTokens = random.Next(0, 900),
            CacheReadTokens = random.Next(0, 9000), CacheWriteTokens = random.Next(0, 700), Timestamp = start.AddMinutes(random.Next(0, 60 * 24 * 30)),
            CostUsd = i % 4 == 0 ? random.Next(1, 1000) / 997m : null, Machine = i % 5 == 0 ? "m2" : "m1",
            WorkerId = i % 7 == 0 ? "w" + (i % 3) : null, SessionId = i % 7 == 0 ? "s1" : null,
            MessageId = i % 2 == 0 ? "msg" + random.Next(0, 300) : null, RequestId = "req",
        };

        var first = calls.Add(Enumerable.Range(0, 400).Select(Next).ToList());
        var second = calls.Add(Enumerable.Range(0, 400).Select(Next).ToList());
        Assert.True(first.Duplicates > 0 && second.Duplicates > 0, "the batches repeat message ids within and across batches");
        AssertAggregatesMatchRows(store.Database);

        new LogArchive(store).Move(new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero));
        AssertAggregatesMatchRows(store.Database);
        // New rows reuse the ids freed by the move; a second move copies them beside rows with higher ids.
        calls.Add(Enumerable.Range(0, 300).Select(Next).Select(c => new ApiCall
        {
            Model = c.Model, InputTokens = c.InputTokens, Timestamp = c.Timestamp.AddDays(-20), Machine = c.Machine, MessageId = c.MessageId, RequestId = "again",
        }).ToList());
        AssertAggregatesMatchRows(store.Database);
        new LogArchive(store).Move(new DateTimeOffset(2025, 2, 1, 0, 0, 0, TimeSpan.Zero));
        AssertAggregatesMatchRows(store.Database);
        var archive = LogStore.OpenSchemaFile(Path.Combine(store.Path, "archive", "logs-2025-01.db"));
        Assert.True(archive.Read(c => Convert.ToInt64(Command(c, "SELECT count(*) FROM api_calls").ExecuteScalar())) > 400);
        AssertAggregatesMatchRows(archive);
    }

    private static DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    // Every row and column of every aggregate table, against sums over the rows of api_calls made here independently
    // (in C#, so the same check runs on every backend).
    internal static void AssertAggregatesMatchRows(StoreDatabase database)
    {
        const string columns = "calls, tokens_input, tokens_output, tokens_cache_read, tokens_cache_write, est_input, est_output, est_cache_read, est_cache_write, given_calls, given_nanos";
        var expected = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
        var actual = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
        database.Read(connection =>
        {
            Sql.ForEach(connection, null, """
                SELECT timestamp, model, machine, coalesce(worker_id, ''), coalesce(session_id, ''),
                       tokens_input, tokens_output, tokens_cache_read, tokens_cache_write, cost_given, estimated_cost_usd
                FROM api_calls
                """, [], r =>
            {
                var seconds = StoreTime.Parse(r.GetString(0)).ToUnixTimeSeconds();
                var given = r.GetInt64(9) == 1;
                long[] tokens = [r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8)];
                long[] values =
                [
                    1, .. tokens, .. tokens.Select(t => given ? 0 : t), given ? 1 : 0,
                    given ? (long)Math.Round(r.GetDouble(10) * 1e9, MidpointRounding.AwayFromZero) : 0,
                ];
                foreach (var (level, span) in new[] { (0, 86400), (1, 3600), (2, 900) })
                {
                    Add(expected, $"series {level} {seconds / span} {r.GetString(1)}", values);
                }

                Add(expected, $"quarter {seconds / 900} {r.GetString(1)} {r.GetString(2)} {r.GetString(3)} {r.GetString(4)}", values);
            });
            Sql.ForEach(connection, null, $"SELECT level, slot, model, {columns} FROM api_call_series", [], r =>
                Add(actual, $"series {r.GetInt64(0)} {r.GetInt64(1)} {r.GetString(2)}", Values(r, 3)));
            Sql.ForEach(connection, null, $"SELECT quarter, model, machine, worker_id, session_id, {columns} FROM api_call_quarters", [], r =>
                Add(actual, $"quarter {r.GetInt64(0)} {r.GetString(1)} {r.GetString(2)} {r.GetString(3)} {r.GetString(4)}", Values(r, 5)));
            return true;
        });

        Assert.NotEmpty(expected);
        Assert.Equal(Lines(expected), Lines(actual));

        static long[] Values(DbDataReader r, int from) => Enumerable.Range(from, r.FieldCount - from).Select(r.GetInt64).ToArray();

        static void Add(SortedDictionary<string, long[]> sums, string key, long[] values)
        {
            if (sums.TryGetValue(key, out var sum))
            {
                for (var i = 0; i < values.Length; i++)
                {
                    sum[i] += values[i];
                }
            }
            else
            {
                sums[key] = [.. values];
            }
        }

        static List<string> Lines(SortedDictionary<string, long[]> sums) => sums.Select(x => x.Key + " = " + string.Join(",", x.Value)).ToList();
    }
}
