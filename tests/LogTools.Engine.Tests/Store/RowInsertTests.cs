using System.Data.Common;
using System.Globalization;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Engine.Tests.Sessions;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Store;

/// <summary>The backends' bulk-insert seam (StoreDatabase.PrepareInsert) and bulk loads (StoreDatabase.BulkLoad), as ApiCallStore uses them.</summary>
public sealed class RowInsertTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    // Every kind of value a row can hold: nulls and values in each nullable column, text beyond ASCII, the largest
    // counts, costs that are not exact in binary, and keys repeated within the batch.
    private static List<ApiCall> Calls(int count, string message = "msg_")
    {
        var start = new DateTimeOffset(2025, 5, 30, 23, 59, 59, 999, TimeSpan.Zero);
        return Enumerable.Range(0, count).Select(i => new ApiCall
        {
            Model = (i % 4) switch { 0 => "claude-sonnet-4-5", 1 => "modèle-ü-🙂", 2 => "o3", _ => new string('m', 300 + i) },
            InputTokens = i % 11 == 0 ? long.MaxValue / 8 : i * 37, OutputTokens = i, CacheReadTokens = i * 3, CacheWriteTokens = i % 5, CacheWrite1hTokens = i % 3,
            Timestamp = start.AddMilliseconds(-i * 700_123L), CostUsd = (i % 3) switch { 0 => null, 1 => 0.1m, _ => i / 3m },
            DurationMs = i % 2 == 0 ? null : i * 1000L, Success = i % 7 != 0, Machine = i % 5 == 0 ? "hôte" : "m1",
            WorkerId = i % 6 == 0 ? "w" + i : null, SessionId = i % 4 == 0 ? "s" + (i % 3) : null, Source = i % 9 == 0 ? null : "/logs/ä/" + i,
            MessageId = i % 8 == 0 ? null : message + (i % 150), RequestId = i % 10 == 0 ? null : "req_" + (i % 2),
        }).ToList();
    }

    /// <summary>Inserts the calls with ids from 1 in one write, each through <paramref name="prepare"/>; whether each was stored.</summary>
    private static bool[] Insert(LogStore store, IReadOnlyList<ApiCall> calls, Func<DbConnection, DbTransaction, RowInsert> prepare) =>
        store.Database.Write((connection, transaction) =>
        {
            using var insert = prepare(connection, transaction);
            var stored = new bool[calls.Count];
            for (var i = 0; i < calls.Count; i++)
            {
                ApiCallStore.Bind(insert, calls[i], i + 1);
                stored[i] = insert.Run();
            }

            return stored;
        });

    // Each value with the type the database hands back (on SQLite, the value's storage class), doubles to the last bit.
    private static List<string> Rows(LogStore store) => store.Database.Read(connection =>
    {
        var rows = new List<string>();
        Sql.ForEach(connection, null, "SELECT * FROM api_calls ORDER BY call_id", [], r => rows.Add(string.Join(" | ", Enumerable.Range(0, r.FieldCount).Select(c =>
            r.GetValue(c) switch
            {
                double d => "double " + BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture),
                var v => v.GetType().Name + " " + Convert.ToString(v, CultureInfo.InvariantCulture),
            }))));
        return rows;
    });

    /// <summary>How many of the calls are stored into an empty table: those without a key, and the first of each key.</summary>
    private static int Stored(IEnumerable<ApiCall> calls)
    {
        var keys = new HashSet<string>();
        return calls.Count(c => ApiCallKey.For(c.MessageId, c.RequestId) is not { } key || keys.Add(key));
    }

    private static long Count(LogStore store) => ApiCallStoreTests.Count(store, "SELECT count(*) FROM api_calls");

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void The_backends_insert_stores_every_row_as_the_command_does_and_skips_the_same_duplicates()
    {
        var calls = Calls(400);
        var seam = TestBackend.Open(temp.Combine("seam"));
        var command = TestBackend.Open(temp.Combine("command"));

        var bySeam = Insert(seam, calls, (c, t) => seam.Database.PrepareInsert(c, t, ApiCallStore.InsertSql, ApiCallStore.InsertParameters));
        var byCommand = Insert(command, calls, (c, t) => new RowInsert(c, t, ApiCallStore.InsertSql, ApiCallStore.InsertParameters));

        Assert.Equal(byCommand, bySeam);
        Assert.Equal(Stored(calls), bySeam.Count(s => s));
        Assert.Contains(false, bySeam);
        var rows = Rows(seam);
        Assert.Equal(Stored(calls), rows.Count);
        Assert.Equal(Rows(command), rows);
        Assert.Contains(rows, r => r.Contains("modèle-ü-🙂", StringComparison.Ordinal) && r.Contains("hôte", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void A_row_the_database_refuses_mid_batch_rolls_the_whole_batch_back()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var calls = new ApiCallStore(store);
        calls.Add(Calls(50));
        var before = Rows(store);

        Assert.ThrowsAny<DbException>(() => store.Database.Write((connection, transaction) =>
        {
            using var insert = store.Database.PrepareInsert(connection, transaction, ApiCallStore.InsertSql, ApiCallStore.InsertParameters);
            var batch = Calls(200, "new_");
            for (var i = 0; i < batch.Count; i++)
            {
                ApiCallStore.Bind(insert, batch[i], 1000 + i);
                if (i == 120)
                {
                    // Past the checks of ApiCallStore.Validate: only the table's CHECK refuses it.
                    insert.Integer(4, -1);
                }

                insert.Run();
            }
        }));

        Assert.Equal(before, Rows(store));
        ApiCallStoreTests.AssertAggregatesMatchRows(store.Database);
        calls.Add(Calls(60, "after_"));
        Assert.Equal(before.Count + Stored(Calls(60, "after_")), Count(store));
        ApiCallStoreTests.AssertAggregatesMatchRows(store.Database);
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Batches_written_in_a_bulk_load_keep_every_aggregate_equal_to_a_fresh_group_by()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var calls = new ApiCallStore(store);
        var all = Calls(3000);
        long added = 0;
        using (store.Database.BulkLoad())
        {
            foreach (var batch in all.Chunk(700))
            {
                added += calls.Add(batch).Added;
            }
        }

        Assert.Equal(Stored(all), added);
        Assert.Equal(added, Count(store));
        ApiCallStoreTests.AssertAggregatesMatchRows(store.Database);
    }

    [Fact]
    public void A_bulk_load_checks_the_wal_less_often_with_a_larger_page_cache_and_every_connection_is_back_to_the_defaults_after_it_even_after_an_error()
    {
        var store = LogStore.Open(temp.Combine("store"));
        new ApiCallStore(store).Add(Calls(10));
        (long, long) Pages() => store.Database.Read(c =>
            (Convert.ToInt64(Sql.Scalar(c, null, "PRAGMA wal_autocheckpoint")), Convert.ToInt64(Sql.Scalar(c, null, "PRAGMA cache_size"))));
        Assert.Equal((1000, -2000), Pages());

        var outer = store.Database.BulkLoad();
        Assert.Throws<InvalidOperationException>(() =>
        {
            using (store.Database.BulkLoad())
            {
                Assert.Equal((65536, -65536), Pages());
                store.Database.Write((_, _) => throw new InvalidOperationException("stopped"));
            }
        });
        Assert.Equal((65536, -65536), Pages());
        outer.Dispose();
        outer.Dispose();

        Assert.Equal((1000, -2000), Pages());
        Assert.Equal(10, Count(store));
    }

    [Fact]
    public void A_value_left_as_it_was_is_stored_again_and_every_change_of_value_or_kind_is_stored()
    {
        var store = LogStore.Open(temp.Combine("store"));
        var (model, same) = ("claude-sonnet-4-5", new string("claude-sonnet-4-5".ToCharArray()));
        // Each row: one call per column (or none: the value set for the row before stays).
        var rows = new Action<RowInsert>[]
        {
            i => { i.Text(0, model); i.Integer(1, 0); i.Real(2, 0.0); },
            i => { i.Text(0, same); i.Integer(1, 0); i.Real(2, 0.5); },
            _ => { },
            i => { i.Text(0, null); i.Real(1, 0.0); i.Integer(2, 0); },
            i => { i.Text(0, model); i.Null(1); i.Null(2); },
            i => { i.Utf8(0, "é"u8); i.Integer(1, (long?)null); i.Real(2, double.NaN); },
            i => { i.Text(0, "é"); i.Integer(1, long.MinValue); i.Blob(2, [1, 2]); },
            i => { i.Text(0, "é"); i.Integer(1, long.MinValue); i.Blob(2, [1, 2]); },
            i => { i.Text(0, "ê"); i.Integer(1, 7); i.Real(2, 7); },
        };
        var stored = store.Database.Write((connection, transaction) =>
        {
            Sql.Execute(connection, transaction, "CREATE TABLE t (n INTEGER PRIMARY KEY, a ANY, b ANY, c ANY) STRICT");
            using var insert = store.Database.PrepareInsert(connection, transaction, "INSERT INTO t (a, b, c) VALUES ($a, $b, $c)",
                [("$a", System.Data.DbType.String), ("$b", System.Data.DbType.Int64), ("$c", System.Data.DbType.Double)]);
            return rows.Select(row => { row(insert); return insert.Run(); }).ToList();
        });

        Assert.All(stored, Assert.True);
        var read = store.Database.Read(c =>
        {
            var all = new List<string>();
            Sql.ForEach(c, null, "SELECT quote(a), quote(b), quote(c) FROM t ORDER BY n", [],
                r => all.Add($"{r.GetString(0)} {r.GetString(1)} {r.GetString(2)}"));
            return all;
        });
        Assert.Equal(
        [
            "'claude-sonnet-4-5' 0 0.0", "'claude-sonnet-4-5' 0 0.5", "'claude-sonnet-4-5' 0 0.5", "NULL 0.0 0", "'claude-sonnet-4-5' NULL NULL",
            "'é' NULL NULL", "'é' -9223372036854775808 X'0102'", "'é' -9223372036854775808 X'0102'", "'ê' 7 7.0",
        ], read);
    }

    [Fact]
    public void A_parameter_named_twice_is_refused_since_each_position_remembers_its_value()
    {
        var store = LogStore.Open(temp.Combine("store"));
        store.Database.Write((connection, transaction) =>
        {
            Sql.Execute(connection, transaction, "CREATE TABLE t (a, b)");
            Assert.Throws<ArgumentException>(() => store.Database.PrepareInsert(connection, transaction, "INSERT INTO t (a, b) VALUES ($a, $a)",
                [("$a", System.Data.DbType.Int64), ("$a", System.Data.DbType.Int64)]));
        });
    }

    [Theory]
    [Trait("Category", TestBackend.Category)]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.5)]
    [InlineData(2.5)]
    [InlineData(0.49999999999999994)]
    [InlineData(2.4999999999999996)]
    [InlineData(100000000.49999999)]
    [InlineData(123456789.5)]
    [InlineData(333333333.33333331)]
    [InlineData(4503599627370495.5)]
    public void Costs_are_rounded_to_nanos_in_memory_as_the_backend_rounds_them_in_sql(double value)
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var (inSql, inMemory) = store.Database.Read(c =>
            (Convert.ToInt64(Sql.Scalar(c, null, "SELECT CAST(round(CAST($v AS REAL)) AS INTEGER)", ("$v", value))), SqlDialect.Of(c).RoundToInteger(value)));
        Assert.Equal(inSql, inMemory);
    }
}
