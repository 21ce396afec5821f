using System.Diagnostics;
using System.Globalization;
using LogTools.Engine;
using LogTools.Engine.Tests;
using LogTools.Tests.Support;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Benchmarks;

/// <summary>
/// Issue 15: the same workloads on the two backends in one run, SQLite (a store folder) and PostgreSQL (a throwaway
/// local cluster): API calls added through ApiCallStore.Add, Get-ApiCost -GroupBy Day over them (engine and cmdlet),
/// and Import-LogHistory of a generated Claude Code set, alternated round by round.
/// Usage: backends [rows] [history-MB] [rounds]
/// </summary>
public sealed class BackendsBenchmark : IBenchmark
{
    public string Name => "backends";

    public int Run(string[] args)
    {
        var rows = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var historyMb = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var temp = Directory.CreateTempSubdirectory("logtools-bench-backends-").FullName;
        using var server = new ThrowawayPostgres();
        var load = Timing.Load();
        try
        {
            var sqlite = Path.Combine(temp, "store");
            var postgres = server.NewStore("bench_cost", Directory.CreateDirectory(Path.Combine(temp, "content-cost")).FullName);
            var insertSqlite = ApiCostBenchmark.Generate(LogStore.Open(sqlite), rows);
            var insertPostgres = ApiCostBenchmark.Generate(LogStore.Open(postgres), rows);

            var reports = new Dictionary<string, List<double>> { ["sqlite"] = [], ["postgres"] = [] };
            var cmdlets = new Dictionary<string, List<double>> { ["sqlite"] = [], ["postgres"] = [] };
            // The cmdlet's own steps on the engine: a store opened per report, in the machine's zone.
            var opened = new Dictionary<string, List<double>> { ["sqlite"] = [], ["postgres"] = [] };
            var days = new Dictionary<string, int>();
            var fastest = new Dictionary<(Dictionary<string, List<double>>, string), double>();
            using var runspace = Timing.ModuleRunspace();
            // Steady state, as a user's second and later reports: each backend's code (Npgsql's far more than SQLite's) is
            // compiled and tiered up by 30 reports of each kind before any is timed; the first report in a new process is
            // issue 16.2's measurement.
            foreach (var location in new[] { sqlite, postgres })
            {
                var report = new ApiCostReport(LogStore.Open(location, StoreAccess.Read), PriceTable.Embedded);
                for (var i = 0; i < 30; i++)
                {
                    report.Run(null, null, ApiCostGroup.Day, TimeZoneInfo.Local);
                    Timing.Invoke(runspace, "Get-ApiCost -GroupBy Day -Store $args[0]", location);
                }
            }

            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, location) in new[] { ("sqlite", sqlite), ("postgres", postgres) })
                {
                    var report = new ApiCostReport(LogStore.Open(location, StoreAccess.Read), PriceTable.Embedded);
                    Time(reports, name, () => days[name] = report.Run(null, null, ApiCostGroup.Day, TimeZoneInfo.Utc).Count);
                    Time(opened, name, () => new ApiCostReport(LogStore.Open(location, StoreAccess.Read), PriceTable.Embedded).Run(null, null, ApiCostGroup.Day, TimeZoneInfo.Local));
                    Time(cmdlets, name, () => Timing.Invoke(runspace, "Get-ApiCost -GroupBy Day -Store $args[0]", location));
                }
            }

            // Each round's median, and the fastest single report over all rounds (what the work costs when nothing else
            // on the 2 cores gets in the way: PostgreSQL's server and the client share them, so its times vary more).
            void Time(Dictionary<string, List<double>> medians, string name, Action work)
            {
                var (median, min) = Timing.Ms(15, work);
                medians[name].Add(median);
                fastest[(medians, name)] = Math.Min(fastest.GetValueOrDefault((medians, name), double.MaxValue), min);
            }

            // Import-LogHistory: a generated set, each round into a new store of each backend.
            var projects = Path.Combine(temp, "claude", "projects");
            HistoryImportBenchmark.Generate(projects, historyMb * 1_000_000L, Math.Max(10, historyMb / 2), null, 30);
            var files = HistoryImporter.FilesIn(projects).ToList();
            var mb = files.Sum(f => new FileInfo(f).Length) / 1e6;
            var imports = new Dictionary<string, List<double>> { ["sqlite"] = [], ["postgres"] = [] };
            long calls = 0;
            for (var round = 0; round < rounds; round++)
            {
                foreach (var (name, location) in new[] { ("sqlite", Path.Combine(temp, $"import-{round}")), ("postgres", server.NewStore($"bench_import_{round}", Directory.CreateDirectory(Path.Combine(temp, $"content-import-{round}")).FullName)) })
                {
                    var store = LogStore.Open(location);
                    var clock = Stopwatch.StartNew();
                    calls = new HistoryImporter(store).Import(files, new HistoryImportOptions { Machine = "bench" }, new TestSink { ThrowErrors = true }).Sum(r => r.Imported);
                    imports[name].Add(clock.Elapsed.TotalSeconds);
                }
            }

            Console.WriteLine($"PostgreSQL {server.Version} (local cluster, Unix socket, fsync off) and SQLite (WAL, synchronous=NORMAL); load average {load} before, {Timing.Load()} after; {Environment.ProcessorCount} cores");
            Console.WriteLine();
            Console.WriteLine($"| measurement ({rounds} rounds alternated) | SQLite | PostgreSQL | PostgreSQL / SQLite (time) |");
            Console.WriteLine("|---|---:|---:|---:|");
            Console.WriteLine($"| ApiCallStore.Add, {rows:N0} calls in batches of 50,000 | {rows / insertSqlite.TotalSeconds:N0} rows/s | {rows / insertPostgres.TotalSeconds:N0} rows/s | {insertPostgres / insertSqlite:0.00}x |");
            Row($"engine ApiCostReport GroupBy Day over {rows:N0} rows ({days["sqlite"]} / {days["postgres"]} days)", reports, "ms");
            Row("engine, the store opened per report, the machine's zone (the cmdlet's steps)", opened, "ms");
            Row("cmdlet Get-ApiCost -GroupBy Day (runspace)", cmdlets, "ms");
            Row($"Import-LogHistory engine, {files.Count} files, {mb:0} MB, {calls:N0} calls, into a new store", imports, "s");
            Console.WriteLine();
            Console.WriteLine("Fastest single report, SQLite / PostgreSQL: " + string.Join("; ", new[] { ("engine", reports), ("store opened per report", opened), ("cmdlet", cmdlets) }
                .Select(m => $"{m.Item1} {fastest[(m.Item2, "sqlite")]:0.0} / {fastest[(m.Item2, "postgres")]:0.0} ms ({fastest[(m.Item2, "postgres")] / fastest[(m.Item2, "sqlite")]:0.00}x)")));
            return days["sqlite"] == days["postgres"] ? 0 : 1;
        }
        finally
        {
            RemoveFolder(temp);
        }
    }

    private static void Row(string what, Dictionary<string, List<double>> times, string unit)
    {
        var (s, p) = (Timing.Median(times["sqlite"]), Timing.Median(times["postgres"]));
        var format = unit == "ms" ? "0.0" : "0.000";
        // The spread: the fastest and slowest round's ratio, each round's two figures taken one right after the other.
        var ratios = times["sqlite"].Select((x, i) => times["postgres"][i] / x).ToList();
        Console.WriteLine($"| {what} | {s.ToString(format, CultureInfo.InvariantCulture)} {unit} | {p.ToString(format, CultureInfo.InvariantCulture)} {unit} | " +
            $"{p / s:0.00}x (rounds {ratios.Min():0.00}–{ratios.Max():0.00}x) |");
    }

    // The SQLite stores' pooled connections hold their files open until cleared.
    private static void RemoveFolder(string temp)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(temp, recursive: true);
    }
}
