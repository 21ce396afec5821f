using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Sessions;

[Trait("Category", TestBackend.Category)]
public sealed class LogArchiveTests : IDisposable
{
    private static readonly DateTimeOffset From = new(2025, 1, 24, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = new(2025, 2, 3, 0, 0, 0, TimeSpan.Zero);
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static void Sql(LogStore store, string sql) => store.Database.Write((c, t) =>
    {
        using var command = c.CreateCommand();
        command.Transaction = t;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    });

    private LogStore Seeded()
    {
        // 12 days of calls from Jan 24 (months 2025-01 and 2025-02), a finished old session, an unfinished one, events.
        var store = ApiCostReportTests.Seeded(temp.Combine("store"), From, count: 2000);
        Sql(store, """
            INSERT INTO sessions (session_id, started_at, ended_at, exit_reason, host, user_name) VALUES
              ('old', '2025-01-25T10:00:00.000Z', '2025-01-26T10:00:00.000Z', 'normal', 'h', 'u'),
              ('open', '2025-01-25T10:00:00.000Z', NULL, NULL, 'h', 'u');
            INSERT INTO tasks (task_id, session_id, detected_at, status) VALUES ('t-old', 'old', '2025-01-25T10:00:00.000Z', 'completed'), ('t-open', 'open', '2025-01-25T10:00:00.000Z', 'active');
            INSERT INTO workers (worker_id, session_id, task_id, spawned_at, status) VALUES ('w-old', 'old', 't-old', '2025-01-25T10:00:00.000Z', 'completed'), ('w-open', 'open', 't-open', '2025-01-25T10:00:00.000Z', 'spawned');
            INSERT INTO events (session_id, timestamp, event_type, severity, message) VALUES ('old', '2025-01-25T11:00:00.000Z', 'x', 'info', 'a'), ('open', '2025-02-05T11:00:00.000Z', 'x', 'info', 'b');
            UPDATE api_calls SET worker_id = 'w-old', session_id = 'old' WHERE call_id % 10 = 0;
            """);
        return store;
    }

    private static string Totals(LogStore store, bool includeArchive) =>
        string.Join("\n", new ApiCostReport(store, PriceTable.Embedded, includeArchive).Run(null, null, ApiCostGroup.Day, TimeZoneInfo.Utc)
            .Select(r => $"{r.Key} {r.Calls} {r.TotalTokens} {r.KnownCostUsd} {r.UnpricedCalls}"))
        + "\n" + string.Join(",", new ApiCostReport(store, PriceTable.Embedded, includeArchive).Run(null, null, ApiCostGroup.Task, TimeZoneInfo.Utc).Select(r => $"{r.Key}={r.Calls}"));

    [Fact]
    public void Moving_keeps_the_totals_with_archives_and_moves_finished_sessions_whole()
    {
        var store = Seeded();
        var before = Totals(store, includeArchive: false);
        var oldCalls = ApiCallStoreTests.Count(store, $"SELECT count(*) FROM api_calls WHERE timestamp < '{StoreTime.ToText(Cutoff)}'");
        var plan = new LogArchive(store).Plan(Cutoff);

        var moved = new LogArchive(store).Move(Cutoff);

        Assert.Equal(plan.Select(c => (c.Month, c.Table, c.Rows)), moved.Select(c => (c.Month, c.Table, c.Rows)));
        Assert.Equal(oldCalls, moved.Where(c => c.Table == "api_calls").Sum(c => c.Rows));
        Assert.Equal(["2025-01", "2025-02"], moved.Select(c => c.Month).Distinct());
        Assert.Equal(before, Totals(store, includeArchive: true));
        Assert.NotEqual(before, Totals(store, includeArchive: false));
        Assert.Equal(0, ApiCallStoreTests.Count(store, $"SELECT count(*) FROM api_calls WHERE timestamp < '{StoreTime.ToText(Cutoff)}'"));
        Assert.Equal(0, ApiCallStoreTests.Count(store, "SELECT count(*) FROM sessions WHERE session_id = 'old'"));
        Assert.Equal(2, ApiCallStoreTests.Count(store, "SELECT count(*) FROM tasks WHERE task_id = 't-open'") + ApiCallStoreTests.Count(store, "SELECT count(*) FROM workers WHERE worker_id = 'w-open'"));
        Assert.Equal(0, ApiCallStoreTests.Count(store, "SELECT count(*) FROM archive_pending"));
        var january = LogStore.OpenSchemaFile(Path.Combine(store.Path, "archive", "logs-2025-01.db"));
        Assert.Equal(3, january.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT (SELECT count(*) FROM sessions) + (SELECT count(*) FROM tasks) + (SELECT count(*) FROM workers WHERE task_id = 't-old')";
            return Convert.ToInt64(command.ExecuteScalar());
        }));
        Assert.Empty(new LogArchive(store).Move(Cutoff));
    }

    [Theory]
    [InlineData("journal")]
    [InlineData("copy")]
    public void An_interrupted_move_finishes_on_the_next_run_without_losing_or_duplicating(string step)
    {
        var store = Seeded();
        var before = Totals(store, includeArchive: false);
        var rows = ApiCallStoreTests.Count(store, "SELECT count(*) FROM api_calls");
        var interrupted = new LogArchive(store) { AfterStep = s => { if (s == step) throw new IOException("power cut"); } };

        Assert.Throws<IOException>(() => interrupted.Move(Cutoff));
        Assert.True(ApiCallStoreTests.Count(store, "SELECT count(*) FROM archive_pending") > 0);
        Assert.Equal(rows, ApiCallStoreTests.Count(store, "SELECT count(*) FROM api_calls"));

        new LogArchive(store).Move(Cutoff);

        Assert.Equal(before, Totals(store, includeArchive: true));
        var archived = LogArchive.Databases(store).Sum(d => d.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT count(*) FROM api_calls";
            return Convert.ToInt64(command.ExecuteScalar());
        }));
        Assert.Equal(rows, archived + ApiCallStoreTests.Count(store, "SELECT count(*) FROM api_calls"));
        Assert.Equal(0, ApiCallStoreTests.Count(store, "SELECT count(*) FROM archive_pending"));
    }

    [Fact]
    public void The_archives_hold_the_moved_rows_value_for_value()
    {
        var store = Seeded();
        const string calls = "SELECT call_id, timestamp, model, tokens_input, tokens_output, tokens_cache_read, estimated_cost_usd, machine, worker_id, session_id FROM api_calls";
        var old = Rows(store.Database, $"{calls} WHERE timestamp < '{StoreTime.ToText(Cutoff)}'");
        var events = Rows(store.Database, $"SELECT event_id, session_id, timestamp, event_type, severity, message, details FROM events WHERE timestamp < '{StoreTime.ToText(Cutoff)}'");

        new LogArchive(store).Move(Cutoff);

        var archives = LogArchive.Databases(store).ToList();
        Assert.Equal(old, archives.SelectMany(a => Rows(a, calls)).Order(StringComparer.Ordinal));
        Assert.Equal(events, archives.SelectMany(a => Rows(a, "SELECT event_id, session_id, timestamp, event_type, severity, message, details FROM events")).Order(StringComparer.Ordinal));
        Assert.Equal(["old"], archives.SelectMany(a => Rows(a, "SELECT session_id FROM sessions")));
    }

    [Fact]
    public async Task A_second_move_waits_for_the_first_and_nothing_is_copied_twice()
    {
        var store = Seeded();
        var before = Totals(store, includeArchive: false);
        var rows = ApiCallStoreTests.Count(store, "SELECT count(*) FROM api_calls");
        using var journaled = new ManualResetEventSlim();
        using var resume = new ManualResetEventSlim();
        var first = new LogArchive(store) { AfterStep = s => { if (s == "journal") { journaled.Set(); resume.Wait(); } } };

        var firstMove = Task.Run(() => first.Move(Cutoff));
        Assert.True(journaled.Wait(TimeSpan.FromSeconds(60)));
        var secondMove = Task.Run(() => new LogArchive(store).Move(Cutoff));
        Assert.NotSame(secondMove, await Task.WhenAny(secondMove, Task.Delay(TimeSpan.FromSeconds(2))));
        resume.Set();

        Assert.NotEmpty(await firstMove);
        Assert.Empty(await secondMove);
        Assert.Equal(before, Totals(store, includeArchive: true));
        var archived = LogArchive.Databases(store).Sum(d => Rows(d, "SELECT call_id FROM api_calls").Count);
        Assert.Equal(rows, archived + ApiCallStoreTests.Count(store, "SELECT count(*) FROM api_calls"));
    }

    [Fact]
    public void A_move_that_waits_longer_than_the_busy_timeout_for_another_stops_with_ArchiveInProgress_and_moves_nothing()
    {
        var store = Seeded();
        var rows = ApiCallStoreTests.Count(store, "SELECT count(*) FROM api_calls");
        // Opened afresh (a writer's open is cached per store, with the policy it was first opened with).
        var impatient = LogStore.Open(TestBackend.Location(temp.Combine("store")), StoreAccess.Read, new StorePolicy(TimeSpan.FromMilliseconds(300)));
        using var other = store.Lock("archive", TimeSpan.Zero, () => new LogToolsException("Unexpected", ErrorKind.InvalidOperation, "", "the lock was taken"));

        var failure = Assert.Throws<LogToolsException>(() => new LogArchive(impatient).Move(Cutoff));

        Assert.Equal("ArchiveInProgress", failure.ErrorId);
        Assert.Equal(rows, ApiCallStoreTests.Count(store, "SELECT count(*) FROM api_calls"));
        Assert.Equal(0, ApiCallStoreTests.Count(store, "SELECT count(*) FROM archive_pending"));
    }

    /// <summary>Each row as invariant text, sorted: the same whichever backend returned it.</summary>
    private static List<string> Rows(StoreDatabase database, string sql) => database.Read(c =>
    {
        var rows = new List<string>();
        LogTools.Engine.Store.Sql.ForEach(c, null, sql, [], r => rows.Add(string.Join("|", Enumerable.Range(0, r.FieldCount)
            .Select(i => r.IsDBNull(i) ? "null" : Convert.ToString(r.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)))));
        return rows.Order(StringComparer.Ordinal).ToList();
    });

    [Fact]
    public void Planning_changes_nothing()
    {
        var store = Seeded();
        var before = Totals(store, includeArchive: false);
        var plan = new LogArchive(store).Plan(Cutoff);

        Assert.Contains(plan, c => c.Table == "sessions" && c.Month == "2025-01" && c.Rows == 1);
        Assert.Equal(before, Totals(store, includeArchive: false));
        Assert.False(Directory.Exists(Path.Combine(store.Path, "archive")));
    }
}
