using System.Diagnostics;
using System.Globalization;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Benchmarks;

/// <summary>
/// Where an api_calls row's cost goes on the store's writer thread: each part run alone over the same calls, each in a
/// fresh store, in batches as Add-ApiCall (5,000) or an import (10,000, in a bulk load) writes them. Parts: the timestamp
/// text, the de-duplication key, Validate, the aggregates (CostMigrations.AddCalls), binding the values without running
/// the INSERT, the INSERT into a table with only its rowid, with each index alone (the timestamp index; the unique
/// dedup_key, whole or partial; an 8-byte key in place of the text key, which is a process-local string hash here,
/// for its size only), with every index, with every index and 32 rows a statement, and ApiCallStore.Add as a whole.
/// Times are the process's CPU time (less disturbed by other load than wall time), the fastest of the rounds.
/// Usage: api-call-rows [rows] [batch] [rounds] [keys] (keys: every call has a message and request id, as imports do).
/// </summary>
public sealed class ApiCallRowsBenchmark : IBenchmark
{
    public string Name => "api-call-rows";

    public int Run(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var batch = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : rows;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var keyed = args.Length > 3 && args[3] == "keys";
        var root = Path.Combine(Path.GetTempPath(), "logtools-bench-rows-" + Guid.NewGuid().ToString("N"));
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        var random = new Random(7);
        string Id(string prefix, int n) => prefix + new string(Enumerable.Range(0, n).Select(_ => "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[random.Next(62)]).ToArray());
        var calls = Enumerable.Range(1, rows).Select(i => new ApiCall
        {
            Timestamp = start.AddSeconds(i * 7), Model = "claude-sonnet-4-20250514", InputTokens = i % 5000, OutputTokens = 300,
            CacheReadTokens = 12000, CacheWriteTokens = 800, Machine = "bench",
            MessageId = keyed ? Id("msg_01", 22) : null, RequestId = keyed ? Id("req_011C", 18) : null,
        }).ToList();
        var variants = new (string Name, Func<LogStore, List<ApiCall>, double> Run)[]
        {
            ("ToText only", (s, c) => Time(() => { foreach (var x in c) { _ = StoreTime.ToText(x.Timestamp); } })),
            ("ToText + UTF-8", (s, c) => Time(() => { var b = new byte[64]; foreach (var x in c) { _ = System.Text.Encoding.UTF8.GetBytes(StoreTime.ToText(x.Timestamp), b); } })),
            ("key only", (s, c) => Time(() => { foreach (var x in c) { _ = ApiCallKey.For(x.MessageId, x.RequestId); } })),
            ("Validate only", (s, c) => Time(() => c.ForEach(ApiCallStore.Validate))),
            ("aggregates only (AddCalls)", (s, c) => Time(() => s.Database.Write((connection, transaction) => CostMigrations.AddCalls(s.Database, connection, transaction, c)))),
            ("bind only", (s, c) => Loop(s, c, ApiCallStore.InsertSql, run: false, setup: null)),
            ("insert, rowid only", (s, c) => Loop(s, c, Plain, run: true, setup: Bare(false))),
            ("insert + time index", (s, c) => Loop(s, c, Plain, run: true, setup: Bare(false) + "CREATE INDEX api_calls_time ON api_calls (timestamp);")),
            ("insert + unique dedup", (s, c) => Loop(s, c, ApiCallStore.InsertSql, run: true, setup: Bare(true))),
            ("insert + partial unique dedup", (s, c) => Loop(s, c, ApiCallStore.InsertSql.Replace("(dedup_key)", "(dedup_key) WHERE dedup_key IS NOT NULL"), run: true, setup: Bare(false) + "CREATE UNIQUE INDEX api_calls_dedup ON api_calls (dedup_key) WHERE dedup_key IS NOT NULL;")),
            ("insert + hash index", (s, c) => Loop(s, c, Plain, run: true, hash: true, setup: Bare(false) + "CREATE INDEX api_calls_hash ON api_calls (dedup_key) WHERE dedup_key IS NOT NULL;")),
            ("insert, all indexes", (s, c) => Loop(s, c, ApiCallStore.InsertSql, run: true, setup: null)),
            ("insert, all indexes, 32 rows a statement", (s, c) => Many(s, c, 32)),
            ("Add (insert + aggregates)", (s, c) => Time(() => new ApiCallStore(s).Add(c))),
        };
        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
        try
        {
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, run) in variants)
                {
                    var store = LogStore.Open(Path.Combine(root, $"{round}-{Array.FindIndex(variants, v => v.Name == name)}"));
                    var total = 0.0;
                    using var bulk = keyed ? store.Database.BulkLoad() : null;
                    foreach (var chunk in calls.Chunk(batch))
                    {
                        var list = chunk.Select(c => new ApiCall
                        {
                            Timestamp = c.Timestamp, Model = c.Model, InputTokens = c.InputTokens, OutputTokens = c.OutputTokens,
                            CacheReadTokens = c.CacheReadTokens, CacheWriteTokens = c.CacheWriteTokens, Machine = c.Machine,
                            MessageId = c.MessageId, RequestId = c.RequestId,
                        }).ToList();
                        total += run(store, list);
                    }

                    times[name].Add(total);
                }
            }

            Console.WriteLine($"{rows:N0} rows, batches of {batch:N0}, keys {keyed}, {rounds} rounds; load {Timing.Load()}");
            foreach (var (name, _) in variants)
            {
                var median = times[name].Min();
                Console.WriteLine($"| {name} | {median * 1000:0} ms | {median * 1e6 / rows:0.00} µs/row | {string.Join(" ", times[name].Select(t => (t * 1000).ToString("0")))} |");
            }

            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // The INSERT without its conflict clause, for tables without the unique index.
    private static readonly string Plain = ApiCallStore.InsertSql[..ApiCallStore.InsertSql.IndexOf("ON CONFLICT", StringComparison.Ordinal)];

    private static string Bare(bool unique) => "DROP TABLE api_calls; CREATE TABLE api_calls (call_id INTEGER PRIMARY KEY, worker_id TEXT, session_id TEXT, timestamp TEXT NOT NULL, model TEXT NOT NULL, tokens_input INTEGER NOT NULL CHECK (tokens_input >= 0), tokens_output INTEGER NOT NULL CHECK (tokens_output >= 0), tokens_cache_read INTEGER NOT NULL DEFAULT 0 CHECK (tokens_cache_read >= 0), tokens_cache_write INTEGER NOT NULL DEFAULT 0 CHECK (tokens_cache_write >= 0), tokens_total INTEGER NOT NULL CHECK (tokens_total >= 0), estimated_cost_usd REAL, cost_given INTEGER NOT NULL DEFAULT 0, duration_ms INTEGER, success INTEGER NOT NULL DEFAULT 1, machine TEXT NOT NULL, request_id TEXT, message_id TEXT, dedup_key TEXT" + (unique ? " UNIQUE" : "") + ", source TEXT, tokens_cache_write_1h INTEGER NOT NULL DEFAULT 0);";

    private static double Loop(LogStore store, List<ApiCall> calls, string sql, bool run, string? setup, bool hash = false)
    {
        if (setup is not null && Prepared.Add(store.Path))
        {
            store.Database.Write((c, t) => Sql.Execute(c, t, setup));
        }

        return Time(() => store.Database.Write((connection, transaction) =>
        {
            var next = Convert.ToInt64(Sql.Scalar(connection, transaction, "SELECT coalesce(max(call_id), 0) FROM api_calls"));
            using var insert = store.Database.PrepareInsert(connection, transaction, sql, ApiCallStore.InsertParameters);
            foreach (var call in calls)
            {
                ApiCallStore.Bind(insert, call, ++next);
                if (hash && call.MessageId is not null)
                {
                    insert.Integer(16, ((long)call.MessageId.GetHashCode() << 32) ^ (uint)call.RequestId!.GetHashCode());
                }
                if (run)
                {
                    insert.Run();
                }
            }
        }));
    }

    private static readonly HashSet<string> Prepared = [];

    private static double Many(LogStore store, List<ApiCall> calls, int group)
    {
        var values = ApiCallStore.InsertSql[ApiCallStore.InsertSql.IndexOf("VALUES", StringComparison.Ordinal)..ApiCallStore.InsertSql.IndexOf("ON CONFLICT", StringComparison.Ordinal)].Trim()["VALUES ".Length..];
        var head = ApiCallStore.InsertSql[..ApiCallStore.InsertSql.IndexOf("VALUES", StringComparison.Ordinal)];
        var sql = head + "VALUES " + string.Join(", ", Enumerable.Range(0, group).Select(g => ApiCallStore.InsertParameters.Aggregate(values, (v, p) => v.Replace(p.Name + ",", p.Name + "_" + g + ",").Replace(p.Name + ")", p.Name + "_" + g + ")")))) + " ON CONFLICT (dedup_key) DO NOTHING";
        var parameters = Enumerable.Range(0, group).SelectMany(g => ApiCallStore.InsertParameters.Select(p => (p.Name + "_" + g, p.Type))).ToArray();
        return Time(() => store.Database.Write((connection, transaction) =>
        {
            var next = Convert.ToInt64(Sql.Scalar(connection, transaction, "SELECT coalesce(max(call_id), 0) FROM api_calls"));
            using var insert = store.Database.PrepareInsert(connection, transaction, sql, parameters);
            using var one = store.Database.PrepareInsert(connection, transaction, ApiCallStore.InsertSql, ApiCallStore.InsertParameters);
            var i = 0;
            for (; i + group <= calls.Count; i += group)
            {
                for (var g = 0; g < group; g++)
                {
                    ApiCallStore.Bind(new Offset(insert, g * ApiCallStore.InsertParameters.Length), calls[i + g], ++next);
                }

                insert.Run();
            }

            for (; i < calls.Count; i++)
            {
                ApiCallStore.Bind(one, calls[i], ++next);
                one.Run();
            }
        }));
    }

    private sealed class Offset(RowInsert inner, int offset) : RowInsert
    {
        public override void Integer(int index, long value) => inner.Integer(index + offset, value);

        public override void Real(int index, double value) => inner.Real(index + offset, value);

        public override void Text(int index, string? value) => inner.Text(index + offset, value);

        public override void Utf8(int index, ReadOnlySpan<byte> value) => inner.Utf8(index + offset, value);

        public override void Null(int index) => inner.Null(index + offset);
    }

    private static double Time(Action work)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        work();
        return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    }
}
