using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using LogTools.Engine;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Benchmarks;

/// <summary>
/// Get-ApiCost -GroupBy Day and -Today over 1,000,000 api_calls rows (a year, 10 models, 3 machines,
/// 2,000 workers), through the engine and through the cmdlet, beside sqlite3's plain GROUP BY date(timestamp).
/// Usage: api-cost [store folder] [rows]
/// </summary>
public sealed class ApiCostBenchmark : IBenchmark
{
    private static readonly string[] Models =
    [
        "claude-opus-4-1-20250805", "claude-sonnet-4-20250514", "claude-sonnet-4-5-20250929", "claude-haiku-4-5", "claude-3-5-haiku-20241022",
        "gpt-4.1", "gpt-4o-mini", "o3", "gpt-5", "gemini-2.5-pro",
    ];

    public string Name => "api-cost";

    public int Run(string[] args)
    {
        var folder = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "logtools-bench-api-cost");
        var rows = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var store = LogStore.Open(folder);
        Generate(store, rows);

        var report = new ApiCostReport(store, PriceTable.Embedded);
        var engineDay = Timing.Ms(25, () => report.Run(null, null, ApiCostGroup.Day, TimeZoneInfo.Local));
        var engineToday = Timing.Ms(25, () =>
        {
            var days = new CalendarPeriod(CalendarUnit.Day, TimeZoneInfo.Local);
            var start = days.StartOf(DateTimeOffset.UtcNow);
            report.Run(start, days.Next(start), ApiCostGroup.None, TimeZoneInfo.Local);
        });
        var engineDayKolkata = Timing.Ms(25, () => report.Run(null, null, ApiCostGroup.Day, TimeZoneInfo.FindSystemTimeZoneById("Asia/Kolkata")));
        var dayRows = report.Run(null, null, ApiCostGroup.Day, TimeZoneInfo.Local).Count;

        using var runspace = Timing.ModuleRunspace();
        var cmdletDay = Timing.Ms(25, () => Timing.Invoke(runspace, "Get-ApiCost -GroupBy Day -Store $args[0]", folder));
        var cmdletToday = Timing.Ms(25, () => Timing.Invoke(runspace, "Get-ApiCost -Today -Store $args[0]", folder));

        const string sql = "SELECT date(timestamp), count(*), sum(tokens_input), sum(tokens_output), sum(tokens_cache_read), sum(tokens_cache_write) FROM api_calls GROUP BY 1;";
        var database = Path.Combine(folder, LogStore.DatabaseFileName);
        var sqliteProcess = Timing.Ms(5, () => Sqlite3(database, sql));
        var sqliteQuery = QueryTimes(database, sql);
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];

        Console.WriteLine($"store: {database}, {rows:N0} api_calls rows, {dayRows} days; sqlite3 {Sqlite3(database, "SELECT sqlite_version();").Trim()}; load average {load} on {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| measurement | median | fastest | sqlite3 in-query / median | sqlite3 process / median |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        void Line(string what, (double Median, double Min) ms) =>
            Console.WriteLine($"| {what} | {ms.Median:0.00} ms | {ms.Min:0.00} ms | {sqliteQuery.Median / ms.Median:0.0}x | {sqliteProcess.Median / ms.Median:0.0}x |");
        Line("engine: ApiCostReport GroupBy Day (local zone)", engineDay);
        Line("engine: ApiCostReport GroupBy Day (Asia/Kolkata, +05:30)", engineDayKolkata);
        Line("engine: -Today", engineToday);
        Line("cmdlet: Get-ApiCost -GroupBy Day (runspace)", cmdletDay);
        Line("cmdlet: Get-ApiCost -Today (runspace)", cmdletToday);
        Console.WriteLine($"| sqlite3 `{sql.TrimEnd(';')}` in-query (.timer real) | {sqliteQuery.Median:0.00} ms | {sqliteQuery.Min:0.00} ms | 1.0x | |");
        Console.WriteLine($"| sqlite3 process, same query | {sqliteProcess.Median:0.00} ms | {sqliteProcess.Min:0.00} ms | | 1.0x |");
        return 0;
    }

    /// <summary>
    /// Adds the benchmark's calls up to <paramref name="rows"/> through ApiCallStore.Add in batches of 50,000, as one bulk
    /// load tidied at its end (as Import-LogHistory writes: SQLite's WAL checkpointed once, PostgreSQL's tables vacuumed);
    /// returns the time the adding took, its end included.
    /// </summary>
    internal static TimeSpan Generate(LogStore store, long rows)
    {
        var have = store.Database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT count(*) FROM api_calls";
            return Convert.ToInt64(command.ExecuteScalar());
        });
        if (have >= rows)
        {
            return TimeSpan.Zero;
        }

        var random = new Random(42);
        var end = DateTimeOffset.UtcNow.AddMinutes(-1);
        var calls = new ApiCallStore(store);
        var clock = Stopwatch.StartNew();
        using var load = store.Database.BulkLoad();
        for (var done = have; done < rows;)
        {
            var batch = (int)Math.Min(50_000, rows - done);
            calls.Add(Enumerable.Range(0, batch).Select(_ => new ApiCall
            {
                Model = Models[random.Next(Models.Length)],
                Timestamp = end.AddSeconds(-random.NextDouble() * 365 * 86400),
                InputTokens = random.Next(10, 20_000),
                OutputTokens = random.Next(10, 4_000),
                CacheReadTokens = random.Next(0, 100_000),
                CacheWriteTokens = random.Next(0, 8_000),
                CostUsd = random.Next(10) == 0 ? random.Next(1, 50_000) / 10_000m : null,
                DurationMs = random.Next(200, 60_000),
                Machine = "machine-" + random.Next(3),
                WorkerId = "worker-" + random.Next(2000),
            }).ToList());
            done += batch;
            Console.Error.Write($"\rgenerating {done:N0}/{rows:N0} ({done / clock.Elapsed.TotalSeconds:N0} rows/s)");
        }

        load.Dispose(); // the end of the bulk load is part of the time, as in an import
        store.Database.Tidy(CostMigrations.Area.Tables, CancellationToken.None);
        Console.Error.WriteLine();
        return clock.Elapsed;
    }

    private static string Sqlite3(string database, string sql)
    {
        var info = new ProcessStartInfo("sqlite3") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add(database);
        using var process = Process.Start(info)!;
        process.StandardInput.Write(sql);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    /// <summary>sqlite3's own timer: median and fastest "Run Time: real" of five runs in one process (after a warm-up run).</summary>
    private static (double Median, double Min) QueryTimes(string database, string sql)
    {
        var output = Sqlite3(database, ".timer on\n" + string.Concat(Enumerable.Repeat(sql + "\n", 6)));
        var times = Regex.Matches(output, @"Run Time: real ([0-9.]+)").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1000).Skip(1).Order().ToList();
        return (times[times.Count / 2], times[0]);
    }
}
