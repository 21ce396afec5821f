using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using LogTools.Engine.Store;

namespace LogTools.Engine.Sessions;

/// <summary>
/// The cost area's tables: aggregates of api_calls, and the archive's move journal. The aggregates stay exact
/// whoever writes the rows: inserts add to them per batch (<see cref="AddCalls"/>, run by ApiCallStore.Add,
/// the one insert path of a store: grouped in memory, one upsert per group instead of four upserts per row; the
/// archive's copy uses <see cref="ArchiveInsertTrigger"/>), updates and deletes by triggers.
/// <list type="bullet">
/// <item>api_call_series: per (level, slot, model), level 0 = UTC day, 1 = UTC hour, 2 = UTC quarter hour;
/// slot = unix seconds / the level's length. Every real time zone offset is a whole number of quarter
/// hours, so any local calendar period is an exact sum of these blocks (see ApiCostReport).</item>
/// <item>api_call_quarters: per (quarter hour, model, machine, worker, session), for the other groupings;
/// '' stands for a missing worker or session (key columns of a WITHOUT ROWID table cannot be NULL).</item>
/// </list>
/// Sums: calls, the four token counts, the same four over calls WITHOUT a given cost (est_*: priced at
/// report time), given_calls and given_nanos (given costs in nano-USD, integers so that adding and
/// removing rows is exact).
/// </summary>
internal static class CostMigrations
{
    internal const string Quarter = "(CAST(strftime('%s', {0}.timestamp) AS INTEGER) / 900)";

    /// <summary>The sums as Cost migration 2 created them; migration texts stay as they were run.</summary>
    /// <remarks>
    /// Columns are classes, not value tuples: every command loads this area, and LINQ over a value tuple is compiled at
    /// run time in each new process (no ReadyToRun image holds framework generics over framework value types).
    /// </remarks>
    private static readonly Column[] SumsV5 =
    [
        new("calls", "1"),
        new("tokens_input", "{0}.tokens_input"),
        new("tokens_output", "{0}.tokens_output"),
        new("tokens_cache_read", "{0}.tokens_cache_read"),
        new("tokens_cache_write", "{0}.tokens_cache_write"),
        new("est_input", "CASE WHEN {0}.cost_given <> 0 THEN 0 ELSE {0}.tokens_input END"),
        new("est_output", "CASE WHEN {0}.cost_given <> 0 THEN 0 ELSE {0}.tokens_output END"),
        new("est_cache_read", "CASE WHEN {0}.cost_given <> 0 THEN 0 ELSE {0}.tokens_cache_read END"),
        new("est_cache_write", "CASE WHEN {0}.cost_given <> 0 THEN 0 ELSE {0}.tokens_cache_write END"),
        new("given_calls", "CASE WHEN {0}.cost_given <> 0 THEN 1 ELSE 0 END"),
        new("given_nanos", "CASE WHEN {0}.cost_given <> 0 THEN CAST(round({0}.estimated_cost_usd * 1e9) AS INTEGER) ELSE 0 END"),
    ];

    /// <summary>The sums Cost migration 4 added: the 1-hour cache writes (priced apart from the 5-minute ones).</summary>
    private static readonly Column[] SumsV9 =
    [
        new("tokens_cache_write_1h", "{0}.tokens_cache_write_1h"),
        new("est_cache_write_1h", "CASE WHEN {0}.cost_given <> 0 THEN 0 ELSE {0}.tokens_cache_write_1h END"),
    ];

    /// <summary>Today's sums.</summary>
    private static readonly Column[] Sums = [.. SumsV5, .. SumsV9];

    /// <summary>The aggregate tables and their keys as expressions over an api_calls row alias.</summary>
    private static readonly Aggregate[] Aggregates =
    [
        new("api_call_series", [new("level", "0"), new("slot", Quarter + " / 96"), new("model", "{0}.model")]),
        new("api_call_series", [new("level", "1"), new("slot", Quarter + " / 4"), new("model", "{0}.model")]),
        new("api_call_series", [new("level", "2"), new("slot", Quarter), new("model", "{0}.model")]),
        new("api_call_quarters", [new("quarter", Quarter), new("model", "{0}.model"), new("machine", "{0}.machine"),
            new("worker_id", "coalesce({0}.worker_id, '')"), new("session_id", "coalesce({0}.session_id, '')")]),
    ];

    /// <summary>The sum columns, in table order, for readers of the aggregate tables.</summary>
    internal static IEnumerable<string> SumColumns => Sums.Select(s => s.Name);

    /// <summary>The sums over api_calls rows aliased <paramref name="alias"/>, in <see cref="SumColumns"/> order.</summary>
    internal static string RowSums(string alias) => string.Join(", ", Sums.Select(s => $"sum({string.Format(s.Expression, alias)})"));

    public static StoreArea Area { get; } = new("Cost", [
        new(1, "api_calls", """
            CREATE TABLE api_calls (
                call_id            INTEGER PRIMARY KEY,
                worker_id          TEXT,
                session_id         TEXT,
                timestamp          TEXT NOT NULL,
                model              TEXT NOT NULL,
                tokens_input       INTEGER NOT NULL CHECK (tokens_input >= 0),
                tokens_output      INTEGER NOT NULL CHECK (tokens_output >= 0),
                tokens_cache_read  INTEGER NOT NULL DEFAULT 0 CHECK (tokens_cache_read >= 0),
                tokens_cache_write INTEGER NOT NULL DEFAULT 0 CHECK (tokens_cache_write >= 0),
                tokens_total       INTEGER NOT NULL CHECK (tokens_total >= 0),
                estimated_cost_usd REAL,
                cost_given         INTEGER NOT NULL DEFAULT 0,
                duration_ms        INTEGER,
                success            INTEGER NOT NULL DEFAULT 1,
                machine            TEXT NOT NULL,
                request_id         TEXT,
                message_id         TEXT,
                dedup_key          TEXT UNIQUE,
                source             TEXT
            );
            CREATE INDEX api_calls_time ON api_calls (timestamp);
            CREATE INDEX api_calls_worker ON api_calls (worker_id);
            CREATE INDEX api_calls_session ON api_calls (session_id);
            """),
        // It also created archive_pending, which the Archive area owns (areas had no versions of their own then).
        new(2, "api_calls aggregates (by trigger) and the archive move journal", Schema(SumsV5)),
        // Inserts are aggregated per batch from now on. The worker and session indexes hold only the rows that
        // have one (imported calls have neither), and still serve every "worker_id = x" lookup.
        new(3, "api_calls aggregates added per batch instead of per row; partial worker and session indexes", """
            DROP TRIGGER api_calls_aggregate_insert;
            DROP INDEX api_calls_worker;
            DROP INDEX api_calls_session;
            CREATE INDEX api_calls_worker ON api_calls (worker_id) WHERE worker_id IS NOT NULL;
            CREATE INDEX api_calls_session ON api_calls (session_id) WHERE session_id IS NOT NULL;
            """),
        // Claude Code logs split cache writes by lifetime; 1-hour writes cost more. Stored rows did not keep the split:
        // they stay 5-minute writes (tokens_cache_write), as ccusage counts an unknown split.
        new(4, "api_calls 1-hour cache writes, in the rows and the aggregates", CacheWrite1h()),
        // PostgreSQL stores made before the floor fix had triggers that rounded a timestamp's seconds, so a change to a
        // call in the last half second of a quarter hour was taken from the next quarter: they are made again as they are now.
        new(5, "api_calls change triggers made anew (PostgreSQL: a call's quarter hour from its whole seconds)",
            "DROP TRIGGER api_calls_aggregate_delete;\nDROP TRIGGER api_calls_aggregate_update;\n" + ChangeTriggers(Sums)),
    ], ["api_calls", "api_call_series", "api_call_quarters"])
    {
        // The archive's copy keeps call ids where it can, so its rows are not a call_id range: a per-row trigger keeps its aggregates.
        Archived = [
            new("api_calls", "call_id", "SELECT substr(timestamp, 1, 7) AS month, call_id AS pk FROM api_calls WHERE timestamp < $cutoff")
            {
                RenumberOnClash = true, BeforeCopy = ArchiveInsertTrigger, AfterCopy = DropArchiveInsertTrigger,
            },
        ],
    };

    private const string BatchTable = "temp.api_call_batch";

    private const string CreateBatchTable = "CREATE TEMP TABLE IF NOT EXISTS api_call_batch AS SELECT * FROM api_call_quarters WHERE false";

    /// <summary>The api_call_quarters key, in table order, as <see cref="AddCalls"/> binds it.</summary>
    private static readonly string[] QuarterKey = ["quarter", "model", "machine", "worker_id", "session_id"];

    private static readonly string InsertBatchSql =
        $"INSERT INTO {BatchTable} ({string.Join(", ", QuarterKey.Concat(SumColumns))}) VALUES ({string.Join(", ", QuarterKey.Concat(SumColumns).Select(c => "$" + c))})";

    private static readonly (string Name, DbType Type)[] BatchParameters = BatchParameterList();

    private static (string Name, DbType Type)[] BatchParameterList()
    {
        var names = QuarterKey.Concat(SumColumns).ToArray();
        var parameters = new (string Name, DbType Type)[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            parameters[i] = ("$" + names[i], names[i] is "model" or "machine" or "worker_id" or "session_id" ? DbType.String : DbType.Int64);
        }

        return parameters;
    }

    /// <summary>
    /// The batch's groups in <see cref="BatchTable"/> are added to api_call_quarters as they are and summed up into the
    /// three series levels (integer sums, so summing the quarter sums is exact).
    /// </summary>
    private static readonly string MergeBatchSql = MergeSql();

    private static string MergeSql()
    {
        var keys = string.Join(", ", QuarterKey);
        var sums = string.Join(", ", SumColumns);
        var sql = new StringBuilder($"""
            INSERT INTO api_call_quarters ({keys}, {sums}) SELECT {keys}, {sums} FROM {BatchTable} WHERE true
                ON CONFLICT ({keys}) DO UPDATE SET {IncrementsOf("api_call_quarters", Sums)};

            """);
        var quarterSums = string.Join(", ", SumColumns.Select(c => $"sum({c})"));
        foreach (var (level, slot) in new[] { (0, "quarter / 96"), (1, "quarter / 4"), (2, "quarter") })
        {
            sql.Append($"INSERT INTO api_call_series (level, slot, model, {sums}) SELECT {level}, {slot}, model, {quarterSums} ")
               .Append($"FROM {BatchTable} WHERE true GROUP BY 2, 3 ON CONFLICT (level, slot, model) DO UPDATE SET {IncrementsOf("api_call_series", Sums)};\n");
        }

        sql.Append($"DELETE FROM {BatchTable};\n");
        return sql.ToString();
    }

    // One call per batch, a loop over all its calls: compiled fully optimised at its first call
    // (AggressiveOptimization), not run as ReadyToRun code and then through tiering, which a fresh process's first
    // import never finishes (docs/performance.md, issue 16.1).
    /// <summary>
    /// Adds a batch's stored calls to every aggregate, inside the caller's write transaction (ApiCallStore.Add, which
    /// stored them). They are grouped here, by the api_call_quarters key with the sums of <see cref="Sums"/> computed
    /// as the database computes them from the stored row (what a GROUP BY over the rows gave, without reading
    /// them back), then merged by <see cref="MergeBatchSql"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void AddCalls(StoreDatabase database, DbConnection connection, DbTransaction transaction, IEnumerable<ApiCall> calls)
    {
        var dialect = SqlDialect.Of(connection);
        var groups = new Dictionary<BatchGroup, long[]>();
        foreach (var call in calls)
        {
            // The stored text keeps milliseconds; whole seconds as '%s' gives them (floor, timestamps being after 1970).
            var key = new BatchGroup(call.Timestamp.ToUnixTimeSeconds() / 900, call.Model, call.Machine, call.WorkerId ?? string.Empty, call.SessionId ?? string.Empty);
            if (!groups.TryGetValue(key, out var sums))
            {
                groups[key] = sums = new long[Sums.Length];
            }

            // In the order of Sums.
            var given = call.CostUsd is not null;
            var estimated = given ? 0 : 1;
            // Checked, as the database's integer sums are: an overflow is an error, never a wrapped total.
            checked
            {
                sums[0] += 1;
                sums[1] += call.InputTokens;
                sums[2] += call.OutputTokens;
                sums[3] += call.CacheReadTokens;
                sums[4] += call.CacheWriteTokens;
                sums[5] += estimated * call.InputTokens;
                sums[6] += estimated * call.OutputTokens;
                sums[7] += estimated * call.CacheReadTokens;
                sums[8] += estimated * call.CacheWriteTokens;
                sums[9] += given ? 1 : 0;
                sums[10] += call.CostUsd is { } cost ? dialect.RoundToInteger((double)cost * 1e9) : 0;
                sums[11] += call.CacheWrite1hTokens;
                sums[12] += estimated * call.CacheWrite1hTokens;
            }
        }

        if (groups.Count == 0)
        {
            return;
        }

        Sql.Execute(connection, transaction, CreateBatchTable);
        using (var insert = database.PrepareInsert(connection, transaction, InsertBatchSql, BatchParameters))
        {
            foreach (var (key, sums) in groups)
            {
                insert.Integer(0, key.Quarter);
                insert.Text(1, key.Model);
                insert.Text(2, key.Machine);
                insert.Text(3, key.Worker);
                insert.Text(4, key.Session);
                for (var i = 0; i < sums.Length; i++)
                {
                    insert.Integer(QuarterKey.Length + i, sums[i]);
                }

                insert.Run();
            }
        }

        Sql.Execute(connection, transaction, MergeBatchSql);
    }

    /// <summary>
    /// A batch's group: the api_call_quarters key. A class, not a value tuple: a dictionary keyed by a value type is
    /// framework code compiled at run time in every new process, and a first Add-ApiCall is most processes' only one.
    /// </summary>
    private sealed record BatchGroup(long Quarter, string Model, string Machine, string Worker, string Session);

    /// <summary>
    /// A per-row insert trigger for the archive's copy (INSERT ... SELECT from the live store, which keeps call ids
    /// where it can, so the copied rows are not a call_id range). TEMP: it lives on the copying connection only and
    /// is dropped in the same transaction (see <see cref="DropArchiveInsertTrigger"/>).
    /// </summary>
    internal static string ArchiveInsertTrigger => $"CREATE TEMP TRIGGER api_calls_archive_insert AFTER INSERT ON api_calls BEGIN\n{Apply("NEW", 1, Sums)}END;";

    internal const string DropArchiveInsertTrigger = "DROP TRIGGER temp.api_calls_archive_insert;";

    private static string Schema(Column[] sumsV5)
    {
        var sums = string.Join(",\n    ", sumsV5.Select(s => s.Name + " INTEGER NOT NULL"));
        var sql = new StringBuilder($"""
            CREATE TABLE api_call_series (
                level INTEGER NOT NULL,
                slot  INTEGER NOT NULL,
                model TEXT NOT NULL,
                {sums},
                PRIMARY KEY (level, slot, model)
            ) WITHOUT ROWID;
            CREATE TABLE api_call_quarters (
                quarter    INTEGER NOT NULL,
                model      TEXT NOT NULL,
                machine    TEXT NOT NULL,
                worker_id  TEXT NOT NULL,
                session_id TEXT NOT NULL,
                {sums},
                PRIMARY KEY (quarter, model, machine, worker_id, session_id)
            ) WITHOUT ROWID;
            CREATE TABLE archive_pending (
                batch_id TEXT NOT NULL,
                archive  TEXT NOT NULL,
                tbl      TEXT NOT NULL,
                pk       ANY NOT NULL,
                PRIMARY KEY (batch_id, tbl, pk)
            );

            """);

        // Rows already stored (an import may have run before this migration) go into the aggregates once.
        sql.Append(Accumulate("true", sumsV5));
        sql.Append($"CREATE TRIGGER api_calls_aggregate_insert AFTER INSERT ON api_calls BEGIN\n{Apply("NEW", 1, sumsV5)}END;\n");
        sql.Append(ChangeTriggers(sumsV5));
        return sql.ToString();
    }

    private static string ChangeTriggers(Column[] sums) =>
        $"CREATE TRIGGER api_calls_aggregate_delete AFTER DELETE ON api_calls BEGIN\n{Apply("OLD", -1, sums)}END;\n" +
        $"CREATE TRIGGER api_calls_aggregate_update AFTER UPDATE ON api_calls BEGIN\n{Apply("OLD", -1, sums)}{Apply("NEW", 1, sums)}END;\n";

    /// <summary>Cost migration 4: the new column everywhere (0 for stored rows and aggregates), and triggers that keep it.</summary>
    private static string CacheWrite1h()
    {
        var sql = new StringBuilder("""
            ALTER TABLE api_calls ADD COLUMN tokens_cache_write_1h INTEGER NOT NULL DEFAULT 0 CHECK (tokens_cache_write_1h >= 0);
            DROP TRIGGER api_calls_aggregate_delete;
            DROP TRIGGER api_calls_aggregate_update;

            """);
        foreach (var table in new[] { "api_call_series", "api_call_quarters" })
        {
            foreach (var sum in SumsV9)
            {
                sql.Append($"ALTER TABLE {table} ADD COLUMN {sum.Name} INTEGER NOT NULL DEFAULT 0;\n");
            }
        }

        sql.Append(ChangeTriggers(Sums));
        return sql.ToString();
    }

    /// <summary>Adds the api_calls rows aliased r that match <paramref name="where"/> to every aggregate, one GROUP BY per table.</summary>
    private static string Accumulate(string where, Column[] sums)
    {
        var sql = new StringBuilder();
        foreach (var (table, key) in Aggregates)
        {
            var keys = string.Join(", ", key.Select(k => k.Name));
            var keyValues = string.Join(", ", key.Select(k => string.Format(k.Expression, "r")));
            // The WHERE also keeps SQLite from reading ON CONFLICT as a join constraint.
            var rowSums = string.Join(", ", sums.Select(s => $"sum({string.Format(s.Expression, "r")})"));
            sql.Append($"INSERT INTO {table} ({keys}, {string.Join(", ", sums.Select(s => s.Name))}) SELECT {keyValues}, {rowSums} FROM api_calls r ")
               .Append($"WHERE {where} GROUP BY {Positions(key.Length)} ")
               .Append($"ON CONFLICT ({keys}) DO UPDATE SET {IncrementsOf(table, sums)};\n");
        }

        return sql.ToString();
    }

    /// <summary>"1, 2, …, n": a loop, as string.Join over numbers is a generic over int, compiled at run time in every process.</summary>
    private static string Positions(int n)
    {
        var text = new StringBuilder("1");
        for (var i = 2; i <= n; i++)
        {
            text.Append(", ").Append(i);
        }

        return text.ToString();
    }

    /// <remarks>The stored value is named with its table: PostgreSQL reads a bare column name there as ambiguous.</remarks>
    private static string IncrementsOf(string table, Column[] sums) =>
        string.Join(", ", sums.Select(s => $"{s.Name} = {table}.{s.Name} + excluded.{s.Name}"));

    /// <summary>Adds (sign 1) or removes (sign -1) one row's contribution to every aggregate; emptied aggregate rows go away.</summary>
    private static string Apply(string row, int sign, Column[] sums)
    {
        var sql = new StringBuilder();
        foreach (var (table, key) in Aggregates)
        {
            var keys = string.Join(", ", key.Select(k => k.Name));
            var keyValues = string.Join(", ", key.Select(k => string.Format(k.Expression, row)));
            var sumValues = string.Join(", ", sums.Select(s => $"{sign} * ({string.Format(s.Expression, row)})"));
            sql.Append($"  INSERT INTO {table} ({keys}, {string.Join(", ", sums.Select(s => s.Name))}) VALUES ({keyValues}, {sumValues}) ")
               .Append($"ON CONFLICT ({keys}) DO UPDATE SET {IncrementsOf(table, sums)};\n");
            if (sign < 0)
            {
                var match = string.Join(" AND ", key.Select(k => $"{k.Name} = {string.Format(k.Expression, row)}"));
                sql.Append($"  DELETE FROM {table} WHERE {match} AND calls = 0;\n");
            }
        }

        return sql.ToString();
    }

    /// <summary>A sum or key column and its value as an expression over an api_calls row alias ({0}).</summary>
    private sealed record Column(string Name, string Expression);

    /// <summary>An aggregate table and its key.</summary>
    private sealed record Aggregate(string Table, Column[] Key);
}
