using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LogTools.Engine.Journal;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Engine.Tests;

namespace LogTools.Benchmarks;

/// <summary>
/// Import-LogHistory's engine over generated Claude Code project logs, side by side with ccusage on the same files:
/// MB/s, the ratio, and whether both agree on every per-day, per-model token total. Then a warm re-import of
/// 10,000 unchanged files, and 100 new files imported beside 10,000 known ones, against ccusage over all of them.
/// Options: --dir (work folder), --mb (size of the Claude logs), --ccusage (path of the ccusage executable), --files,
/// --calls-per-mb (call density; default: the generator's own mix, about 80 a MB), --days (span of the timestamps, 60),
/// --rounds (ccusage and LogTools alternated, 5), --workers-only (only the import with one parsing thread and with
/// the default, alternated). Prints each round, medians, spread, the load average and the
/// import's stages timed apart.
/// </summary>
public sealed class HistoryImportBenchmark : IBenchmark
{
    private static readonly string[] Models = ["claude-sonnet-4-20250514", "claude-opus-4-20250514", "claude-opus-4-1-20250805", "claude-3-5-haiku-20241022"];
    private static readonly DateTimeOffset End = new(2025, 6, 30, 0, 0, 0, TimeSpan.Zero);

    public string Name => "history-import";

    public int Run(string[] args)
    {
        var megabytes = int.Parse(Option(args, "--mb") ?? "500", CultureInfo.InvariantCulture);
        var fileCount = int.Parse(Option(args, "--files") ?? "300", CultureInfo.InvariantCulture);
        var density = Option(args, "--calls-per-mb") is { } d ? int.Parse(d, CultureInfo.InvariantCulture) : (int?)null;
        var days = int.Parse(Option(args, "--days") ?? "60", CultureInfo.InvariantCulture);
        var rounds = int.Parse(Option(args, "--rounds") ?? "5", CultureInfo.InvariantCulture);
        var dir = Option(args, "--dir") ?? Path.Combine(Path.GetTempPath(), density is null && days == 60 ? "logtools-bench-history" : $"logtools-bench-history-{density}perMB-{days}d");
        var ccusage = Option(args, "--ccusage") ?? "ccusage";
        var config = Path.Combine(dir, "claude");
        var projects = Path.Combine(config, "projects");
        if (!Directory.Exists(projects))
        {
            Console.WriteLine($"Generating ~{megabytes} MB in {fileCount} files under {projects} ...");
            Generate(projects, megabytes * 1_000_000L, fileCount, density, days);
        }

        var files = HistoryImporter.FilesIn(projects).ToList();
        var bytes = files.Sum(f => new FileInfo(f).Length);
        var mb = bytes / 1e6;
        Console.WriteLine($"{files.Count} files, {mb:0.0} MB");
        foreach (var f in files)
        {
            File.ReadAllBytes(f); // warm the page cache for both tools alike
        }

        if (args.Contains("--workers-only"))
        {
            foreach (var (count, times) in ParseWorkers(files, dir, rounds))
            {
                Console.WriteLine($"{count} parsing thread(s): wall {Spread(times.Wall, "s")}, CPU {Spread(times.Cpu, "s")}");
            }

            return 0;
        }

        // Rounds alternate ccusage and LogTools (each into a fresh store), so both see the same load; the ratio is
        // taken per round (ccusage's time / LogTools' time = LogTools' MB/s / ccusage's MB/s).
        var loadBefore = Timing.Load();
        string? ccJson = null;
        var ccTimes = new List<double>();
        var ltTimes = new List<double>();
        LogStore? store = null;
        HistoryImportSummary? summary = null;
        for (var i = 0; i < rounds; i++)
        {
            var (elapsed, output) = RunCcusage(ccusage, config, dir);
            ccTimes.Add(elapsed.TotalSeconds);
            ccJson = output;
            if (store is not null)
            {
                store.Database.ReleaseConnections();
                Directory.Delete(store.Path, recursive: true);
            }

            var storePath = Path.Combine(dir, $"store-{Guid.NewGuid():N}");
            store = LogStore.Open(storePath);
            summary = new HistoryImportSummary();
            var clock = Stopwatch.StartNew();
            foreach (var result in new HistoryImporter(store).Import(files, new HistoryImportOptions { Machine = "bench" }, new TestSink { ThrowErrors = true }))
            {
                summary.Add(result);
            }

            clock.Stop();
            ltTimes.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine($"round {i + 1}: ccusage {elapsed.TotalSeconds:0.000} s, LogTools {clock.Elapsed.TotalSeconds:0.000} s, ratio {elapsed.TotalSeconds / clock.Elapsed.TotalSeconds:0.00}x");
        }

        var loadAfter = Timing.Load();
        var ratios = ccTimes.Zip(ltTimes, (c, l) => c / l).ToList();
        Console.WriteLine($"LogTools import: {summary!.Lines} lines, {summary.Calls} calls ({summary.Calls / mb:0} a MB), {summary.Imported} imported, {summary.Duplicates} duplicates, {summary.Malformed} malformed");
        Console.WriteLine($"load average {loadBefore} before, {loadAfter} after");
        var verdict = Compare(Totals(store!), CcusageTotals(ccJson!));
        var (parse, validate, write) = Stages(files, store!);
        var workers = ParseWorkers(files, dir, rounds);
        HistoryReadSteps.Print(projects, summary.Calls);

        // Warm re-import of 10,000 unchanged files.
        var many = Path.Combine(dir, "many");
        if (!Directory.Exists(many))
        {
            GenerateMany(many, 10_000);
        }

        var manyFiles = HistoryImporter.FilesIn(many).ToList();
        var manyStore = LogStore.Open(Path.Combine(dir, $"store-many-{Guid.NewGuid():N}"));
        var firstClock = Stopwatch.StartNew();
        var firstImported = new HistoryImporter(manyStore).Import(manyFiles, new HistoryImportOptions { Machine = "bench" }, new TestSink()).Sum(r => r.Imported);
        firstClock.Stop();
        var warmBest = TimeSpan.MaxValue;
        long unchanged = 0;
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            unchanged = new HistoryImporter(manyStore).Import(HistoryImporter.FilesIn(many), new HistoryImportOptions { Machine = "bench" }, new TestSink()).Count(r => r.Unchanged);
            clock.Stop();
            warmBest = clock.Elapsed < warmBest ? clock.Elapsed : warmBest;
        }

        Console.WriteLine($"10,000 files: first import {firstClock.Elapsed.TotalSeconds:0.000} s ({firstImported} calls); warm re-import {warmBest.TotalMilliseconds:0} ms ({unchanged} unchanged)");
        var (ccAdded, ltAdded) = AddedBesideKnown(dir, ccusage, rounds);
        var fresh = FreshProcesses(dir, config, ccusage, rounds, null);
        var freshVerdict = Compare(Totals(fresh.Store!), CcusageTotals(ccJson!));
        var known = KnownStore(dir);
        var freshAdded = FreshProcesses(dir, Path.Combine(dir, "known-config"), ccusage, rounds, known);
        fresh.Store!.Database.ReleaseConnections();
        freshAdded.Store!.Database.ReleaseConnections();
        foreach (var folder in new[] { fresh.Store.Path, freshAdded.Store.Path, known })
        {
            Directory.Delete(folder, recursive: true);
        }

        Console.WriteLine();
        Console.WriteLine($"| benchmark ({rounds} rounds alternated, load {loadBefore}–{loadAfter}) | median (fastest–slowest) | MB/s at the median |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| LogTools: import {files.Count} Claude logs, {mb:0} MB, {summary.Calls} calls | {Spread(ltTimes, "s")} | {mb / Timing.Median(ltTimes):0} |");
        Console.WriteLine($"| ccusage 20.0.24 daily --json --offline, same files | {Spread(ccTimes, "s")} | {mb / Timing.Median(ccTimes):0} |");
        Console.WriteLine($"| ratio per round (LogTools MB/s / ccusage MB/s) | {Timing.Median(ratios):0.00}x ({ratios.Min():0.00}–{ratios.Max():0.00}x) | |");
        foreach (var (count, times) in workers)
        {
            Console.WriteLine($"| LogTools, {count} parsing thread(s), {rounds} rounds alternated after those; CPU time {Timing.Median(times.Cpu):0.000} s | {Spread(times.Wall, "s")} | {mb / Timing.Median(times.Wall):0} |");
        }

        // Round 1 is the import's first in this process, as each Import-LogHistory call is: code not yet optimised by
        // tiered compilation. The later rounds run it optimised.
        Console.WriteLine($"| ratio in round 1 (first import in the process) / later rounds, median | {ratios[0]:0.00}x / {(ratios.Count > 1 ? Timing.Median(ratios.Skip(1)) : double.NaN):0.00}x | |");
        Console.WriteLine($"| stages alone, one thread each: parse / validate / write, µs a call | {parse * 1e6 / summary.Calls:0.0} / {validate * 1e6 / summary.Calls:0.0} / {write * 1e6 / summary.Calls:0.0} | |");
        Console.WriteLine($"| per-day, per-model token totals | {verdict} | |");
        Console.WriteLine($"| first import of 10,000 small logs (incl. file enumeration) | {firstClock.Elapsed.TotalSeconds:0.00} s | |");
        Console.WriteLine($"| warm re-import of 10,000 unchanged logs (incl. file enumeration) | {warmBest.TotalMilliseconds:0} ms | |");
        var addedRatios = ccAdded.Zip(ltAdded, (c, l) => c / l).ToList();
        Console.WriteLine($"| LogTools: import 100 new logs beside 10,000 known ones (incl. file enumeration) | {Spread(ltAdded, "s")} | |");
        Console.WriteLine($"| ccusage, the same 10,100 logs | {Spread(ccAdded, "s")} | |");
        Console.WriteLine($"| ratio per round, 100 new beside 10,000 known | {Timing.Median(addedRatios):0.00}x ({addedRatios.Min():0.00}–{addedRatios.Max():0.00}x) | |");
        Console.WriteLine();
        Console.WriteLine("Fresh processes, as users run them (each round: ccusage, then pwsh -NoProfile -c 'Import-Module out/LogTools; Import-LogHistory' into a fresh store, then pwsh with the Import-Module alone, then pwsh alone; the last column is ccusage's time over pwsh alone's, the most any module could reach):");
        Console.WriteLine($"| fresh processes ({rounds} rounds alternated, load {fresh.LoadBefore}–{freshAdded.LoadAfter}) | LogTools, median (fastest–slowest) | ccusage | ratio per round, median (spread) | pwsh + Import-Module alone | ratio without it | pwsh alone | ceiling |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| import {files.Count} Claude logs, {mb:0} MB, {fresh.Calls} calls | {Spread(fresh.LogTools, "s")} | {Spread(fresh.Ccusage, "s")} | {fresh.Ratio} | {Spread(fresh.Empty, "s")} | {fresh.RatioBeyondPwsh} | {Spread(fresh.Bare, "s")} | {fresh.RatioCeiling} |");
        Console.WriteLine($"| 100 new logs beside 10,000 known | {Spread(freshAdded.LogTools, "s")} | {Spread(freshAdded.Ccusage, "s")} | {freshAdded.Ratio} | {Spread(freshAdded.Empty, "s")} | {freshAdded.RatioBeyondPwsh} | {Spread(freshAdded.Bare, "s")} | {freshAdded.RatioCeiling} |");
        Console.WriteLine($"| per-day, per-model token totals (fresh process's store) | {freshVerdict} | | | | | | |");
        return verdict == "agree" && freshVerdict == "agree" ? 0 : 1;
    }

    /// <summary>
    /// 100 new logs beside 10,000 already imported, as a daily import sees them: each round LogTools imports all 10,100
    /// into a copy of a store that holds the 10,000, and ccusage reads the 10,100 (it keeps nothing between runs).
    /// Seconds per round, ccusage's and LogTools'.
    /// </summary>
    private static (List<double> Ccusage, List<double> LogTools) AddedBesideKnown(string dir, string ccusage, int rounds)
    {
        var config = Path.Combine(dir, "known-config");
        var projects = Path.Combine(config, "projects");
        var fresh = Path.Combine(projects, "new");
        if (!Directory.Exists(projects))
        {
            GenerateMany(Path.Combine(projects, "known"), 10_000, "k");
            GenerateMany(fresh, 100, "n");
        }

        var known = KnownStore(dir);
        var ccTimes = new List<double>();
        var ltTimes = new List<double>();
        for (var i = 0; i < rounds; i++)
        {
            ccTimes.Add(RunCcusage(ccusage, config, dir).Item1.TotalSeconds);
            var copy = Path.Combine(dir, $"store-known-{Guid.NewGuid():N}");
            Directory.CreateDirectory(copy);
            foreach (var file in Directory.GetFiles(known))
            {
                File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            }

            var store = LogStore.Open(copy);
            var clock = Stopwatch.StartNew();
            var imported = new HistoryImporter(store).Import(HistoryImporter.FilesIn(projects), new HistoryImportOptions { Machine = "bench" }, new TestSink { ThrowErrors = true }).Sum(r => r.Imported);
            clock.Stop();
            ltTimes.Add(clock.Elapsed.TotalSeconds);
            Console.WriteLine($"100 new beside 10,000 known, round {i + 1}: ccusage {ccTimes[^1]:0.000} s, LogTools {clock.Elapsed.TotalSeconds:0.000} s ({imported} calls imported), ratio {ccTimes[^1] / clock.Elapsed.TotalSeconds:0.00}x");
            store.Database.ReleaseConnections();
            Directory.Delete(copy, recursive: true);
        }

        return (ccTimes, ltTimes);
    }

    /// <summary>
    /// The import as a user runs it: each round a fresh ccusage, then a fresh pwsh that imports the assembled module
    /// (out/LogTools, with its ReadyToRun images) and runs Import-LogHistory on <paramref name="config"/>'s projects
    /// into a fresh store (a copy of <paramref name="known"/> when given), then a fresh pwsh with the Import-Module
    /// alone (its share, shown apart; the ratio counts it, as a user waits for it), then pwsh alone (the floor of any
    /// module: ccusage's time over it is the ratio no import could pass). Each pwsh starts without a startup
    /// profile of an earlier process (its own cache folder, emptied), so no round is helped by another.
    /// </summary>
    private static FreshRounds FreshProcesses(string dir, string config, string ccusage, int rounds, string? known)
    {
        var result = new FreshRounds(Timing.Load());
        var projects = Path.Combine(config, "projects");
        for (var i = 0; i < rounds; i++)
        {
            result.Ccusage.Add(RunCcusage(ccusage, config, dir).Item1.TotalSeconds);
            if (result.Store is { } previous)
            {
                previous.Database.ReleaseConnections();
                Directory.Delete(previous.Path, recursive: true);
            }

            var store = Path.Combine(dir, $"store-fresh-{Guid.NewGuid():N}");
            Directory.CreateDirectory(store);
            foreach (var file in known is null ? [] : Directory.GetFiles(known))
            {
                File.Copy(file, Path.Combine(store, Path.GetFileName(file)));
            }

            var (seconds, output) = Pwsh(dir, $"(Import-LogHistory -Path '{projects}' -Store '{store}' -Machine bench -Summary -ErrorAction Stop).Calls");
            result.LogTools.Add(seconds);
            result.Calls = long.Parse(output.Trim(), CultureInfo.InvariantCulture);
            result.Empty.Add(Pwsh(dir, string.Empty).Seconds);
            result.Bare.Add(Pwsh(dir, string.Empty, withModule: false).Seconds);
            result.Store = LogStore.Open(store);
            Console.WriteLine($"fresh processes, {(known is null ? "all new" : "100 new beside 10,000 known")}, round {i + 1}: ccusage {result.Ccusage[^1]:0.000} s, "
                + $"pwsh + Import-LogHistory {seconds:0.000} s ({result.Calls} calls), pwsh + Import-Module alone {result.Empty[^1]:0.000} s, pwsh alone {result.Bare[^1]:0.000} s, ratio {result.Ccusage[^1] / seconds:0.00}x");
        }

        result.LoadAfter = Timing.Load();
        return result;
    }

    private static (double Seconds, string Output) Pwsh(string dir, string script, bool withModule = true)
    {
        var (wallMs, output) = FirstCallBenchmark.Script(withModule ? Repo.ModuleManifest : null, script, Path.Combine(dir, "pwsh-cache"));
        return (wallMs / 1000, output);
    }

    /// <summary>A store holding the 10,000 known logs of <see cref="AddedBesideKnown"/>, made once per run.</summary>
    private static string KnownStore(string dir)
    {
        var known = Path.Combine(dir, $"store-known-{Guid.NewGuid():N}");
        var store = LogStore.Open(known);
        _ = new HistoryImporter(store).Import(HistoryImporter.FilesIn(Path.Combine(dir, "known-config", "projects", "known")), new HistoryImportOptions { Machine = "bench" }, new TestSink { ThrowErrors = true }).Count();
        store.Database.ReleaseConnections();
        return known;
    }

    /// <summary>
    /// The same import with one parsing thread and with the default (one a core), alternated, each into a fresh
    /// store: what parsing files on several threads gives (seconds, per worker count).
    /// </summary>
    private static SortedDictionary<int, (List<double> Wall, List<double> Cpu)> ParseWorkers(List<string> files, string dir, int rounds)
    {
        var counts = new[] { 1, new HistoryImportOptions().Parsers };
        var times = new SortedDictionary<int, (List<double> Wall, List<double> Cpu)>(counts.Distinct().ToDictionary(c => c, _ => (new List<double>(), new List<double>())));
        var process = Process.GetCurrentProcess();
        for (var i = 0; i < rounds; i++)
        {
            foreach (var count in times.Keys)
            {
                var store = LogStore.Open(Path.Combine(dir, $"store-{Guid.NewGuid():N}"));
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                _ = new HistoryImporter(store).Import(files, new HistoryImportOptions { Machine = "bench", Parsers = count }, new TestSink { ThrowErrors = true }).Count();
                times[count].Wall.Add(clock.Elapsed.TotalSeconds);
                process.Refresh();
                times[count].Cpu.Add((process.TotalProcessorTime - cpu).TotalSeconds);
                store.Database.ReleaseConnections();
                Directory.Delete(store.Path, recursive: true);
            }
        }

        return times;
    }

    private static string Spread(List<double> values, string unit) => $"{Timing.Median(values):0.000} {unit} ({values.Min():0.000}–{values.Max():0.000})";

    /// <summary>
    /// The import's two stages apart, each on one thread: reading and parsing every file, validating the calls (the importer does it beside parsing), then writing the
    /// parsed calls in the importer's batches into a fresh store (seconds). The import overlaps the two.
    /// </summary>
    private static (double Parse, double Validate, double Write) Stages(List<string> files, LogStore like)
    {
        var clock = Stopwatch.StartNew();
        var calls = new List<ApiCall>();
        foreach (var file in files)
        {
            // Read as the importer reads (JournalReader checking UTF-8 only, the parser validating the call lines).
            using var reader = new JournalReader(File.OpenRead(file), new JournalReadOptions { ValidateJson = false });
            foreach (var entry in reader.ReadEntries())
            {
                if (entry.Status == JournalEntryStatus.Ok
                    && HistoryLineParser.Parse(entry.Utf8.Span, "bench", file, out var call, out _) == HistoryLineKind.ApiCall)
                {
                    calls.Add(call!);
                }
            }
        }

        var parse = clock.Elapsed.TotalSeconds;
        clock.Restart();
        foreach (var call in calls)
        {
            ApiCallStore.Validate(call);
        }

        var validate = clock.Elapsed.TotalSeconds;
        var store = LogStore.Open(Path.Combine(Path.GetDirectoryName(like.Path)!, $"store-{Guid.NewGuid():N}"));
        var writer = new ApiCallStore(store);
        clock.Restart();
        foreach (var chunk in calls.Chunk(HistoryImporter.BatchSize))
        {
            writer.Add(chunk);
        }

        return (parse, validate, clock.Elapsed.TotalSeconds);
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static (TimeSpan, string) RunCcusage(string exe, string config, string dir)
    {
        var home = Path.Combine(dir, "home");
        Directory.CreateDirectory(home);
        var start = new ProcessStartInfo(exe, ["daily", "--json", "--offline", "--timezone", "UTC"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CLAUDE_CONFIG_DIR"] = config;
        start.Environment["TZ"] = "UTC";
        start.Environment["HOME"] = home; // so no other agent's logs of this machine are counted
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        clock.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ccusage failed ({process.ExitCode}): {stderr.Result}");
        }

        return (clock.Elapsed, output);
    }

    private static SortedDictionary<string, (long In, long Out, long CacheWrite, long CacheRead)> Totals(LogStore store) => store.Database.Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = """
            SELECT substr(timestamp, 1, 10), model, sum(tokens_input), sum(tokens_output), sum(tokens_cache_write), sum(tokens_cache_read)
            FROM api_calls GROUP BY 1, 2
            """;
        using var r = command.ExecuteReader();
        var totals = new SortedDictionary<string, (long, long, long, long)>(StringComparer.Ordinal);
        while (r.Read())
        {
            totals[r.GetString(0) + " " + r.GetString(1)] = (r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5));
        }

        return totals;
    });

    private static SortedDictionary<string, (long In, long Out, long CacheWrite, long CacheRead)> CcusageTotals(string json)
    {
        using var document = JsonDocument.Parse(json);
        var totals = new SortedDictionary<string, (long, long, long, long)>(StringComparer.Ordinal);
        foreach (var day in document.RootElement.GetProperty("daily").EnumerateArray())
        {
            var period = (day.TryGetProperty("period", out var p) ? p : day.GetProperty("date")).GetString();
            foreach (var model in day.GetProperty("modelBreakdowns").EnumerateArray())
            {
                totals[period + " " + model.GetProperty("modelName").GetString()] = (
                    model.GetProperty("inputTokens").GetInt64(), model.GetProperty("outputTokens").GetInt64(),
                    model.GetProperty("cacheCreationTokens").GetInt64(), model.GetProperty("cacheReadTokens").GetInt64());
            }
        }

        return totals;
    }

    private static string Compare(
        SortedDictionary<string, (long In, long Out, long CacheWrite, long CacheRead)> ours,
        SortedDictionary<string, (long In, long Out, long CacheWrite, long CacheRead)> theirs)
    {
        var differences = ours.Keys.Union(theirs.Keys).Order(StringComparer.Ordinal)
            .Where(k => !ours.TryGetValue(k, out var a) || !theirs.TryGetValue(k, out var b) || a != b)
            .Select(k => $"  {k}: LogTools {(ours.TryGetValue(k, out var a) ? a.ToString() : "none")}, ccusage {(theirs.TryGetValue(k, out var b) ? b.ToString() : "none")}")
            .ToList();
        Console.WriteLine($"per-day, per-model totals (input, output, cache write, cache read): {ours.Count} rows from LogTools, {theirs.Count} from ccusage: "
            + (differences.Count == 0 ? "agree" : $"differ ({differences.Count} rows)"));
        foreach (var line in differences.Take(10))
        {
            Console.WriteLine(line);
        }

        return differences.Count == 0 ? "agree" : "differ";
    }

    // Realistic shape: long user prompts and tool results (JSON-escaped text), assistant entries with text, tool
    // uses and usage blocks, summaries, rare synthetic entries, resumed conversations that start with a copy of an
    // earlier file (same message and request ids), timestamps over <paramref name="days"/> days. With a density, the
    // lines between calls are shortened or added so that each call comes with 1 MB / density of log.
    internal static void Generate(string projects, long targetBytes, int fileCount, int? callsPerMb, int days)
    {
        var random = new Random(42);
        var perFile = targetBytes / fileCount;
        var written = new List<string>();
        long call = 0;
        for (var f = 0; f < fileCount; f++)
        {
            var folder = Path.Combine(projects, $"-home-user-project-{f % 12}");
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, $"{Guid.NewGuid()}.jsonl");
            using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 16);
            long size = 0;
            if (written.Count > 0 && random.NextDouble() < 0.15)
            {
                // A resumed conversation: the start of an earlier one, copied as Claude Code does.
                var source = File.ReadLines(written[random.Next(written.Count)]).Take(random.Next(20, 200));
                foreach (var line in source)
                {
                    writer.Write(line);
                    writer.Write('\n');
                    size += line.Length + 1;
                }
            }

            var session = Guid.NewGuid().ToString();
            var time = End.AddDays(-days).AddSeconds(random.NextDouble() * days * 86400);
            long calls = 0;
            var model = Models[random.Next(Models.Length)];
            while (size < perFile)
            {
                time = time.AddSeconds(random.Next(1, 90));
                var stamp = time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
                string line;
                var kind = random.Next(10);
                if (callsPerMb is { } density)
                {
                    // Fewer bytes than its calls' share: a user or tool entry of up to 6,000 characters; otherwise a call.
                    var behind = calls * 1_000_000 / density - size;
                    kind = behind <= 0 ? 9 : kind < 6 ? 0 : 3;
                    line = kind == 9 ? string.Empty : kind == 0
                        ? UserLine(session, stamp, Text(random, (int)Math.Clamp(behind, 200, 6000)))
                        : ToolResultLine(session, stamp, Text(random, (int)Math.Clamp(behind, 2000, 6000)));
                    if (kind != 9)
                    {
                        writer.Write(line);
                        writer.Write('\n');
                        size += line.Length + 1;
                        continue;
                    }
                }

                if (kind < 3)
                {
                    line = UserLine(session, stamp, Text(random, random.Next(200, 6000)));
                }
                else if (kind < 5)
                {
                    line = ToolResultLine(session, stamp, Text(random, random.Next(2000, 30000)));
                }
                else if (kind == 5 && random.Next(40) == 0)
                {
                    line = "{\"type\":\"summary\",\"summary\":\"" + Text(random, 60) + "\",\"leafUuid\":\"" + Guid.NewGuid() + "\"}";
                }
                else
                {
                    call++;
                    calls++;
                    var synthetic = random.Next(500) == 0;
                    line = AssistantLine(session, stamp, synthetic ? "<synthetic>" : model, $"msg_{call:x12}", synthetic ? null : $"req_{call:x12}",
                        synthetic ? 0 : random.Next(1, 50), synthetic ? 0 : random.Next(1, 4000), synthetic ? 0 : random.Next(0, 20000), synthetic ? 0 : random.Next(0, 200000),
                        Text(random, random.Next(100, 3000)));
                    if (random.Next(20) == 0)
                    {
                        model = Models[random.Next(Models.Length)];
                    }
                }

                writer.Write(line);
                writer.Write('\n');
                size += line.Length + 1;
            }

            written.Add(path);
        }
    }

    private static void GenerateMany(string folder, int count, string prefix = "m")
    {
        for (var i = 0; i < count; i++)
        {
            var sub = Path.Combine(folder, $"p{i % 100}");
            Directory.CreateDirectory(sub);
            var text = new StringBuilder();
            for (var j = 0; j < 3; j++)
            {
                text.Append(AssistantLine("s", "2025-06-01T10:00:00.000Z", Models[j % Models.Length], $"msg_{prefix}{i}_{j}", $"req_{prefix}{i}_{j}", 1, 2, 3, 4, "ok")).Append('\n');
            }

            File.WriteAllText(Path.Combine(sub, $"{i}.jsonl"), text.ToString());
        }
    }

    private static string UserLine(string session, string stamp, string text) =>
        "{\"parentUuid\":\"" + Guid.NewGuid() + "\",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/user/project\",\"sessionId\":\"" + session
        + "\",\"version\":\"1.0.35\",\"gitBranch\":\"main\",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"" + text + "\"},\"uuid\":\"" + Guid.NewGuid()
        + "\",\"timestamp\":\"" + stamp + "\"}";

    private static string ToolResultLine(string session, string stamp, string text) =>
        "{\"parentUuid\":\"" + Guid.NewGuid() + "\",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/user/project\",\"sessionId\":\"" + session
        + "\",\"version\":\"1.0.35\",\"gitBranch\":\"main\",\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"tool_use_id\":\"toolu_" + Guid.NewGuid().ToString("N")
        + "\",\"type\":\"tool_result\",\"content\":\"" + text + "\",\"is_error\":false}]},\"uuid\":\"" + Guid.NewGuid() + "\",\"timestamp\":\"" + stamp
        + "\",\"toolUseResult\":{\"stdout\":\"" + text[..Math.Max(0, text.LastIndexOf(' ', Math.Min(text.Length - 1, 2000)))] + "\",\"stderr\":\"\",\"interrupted\":false}}";

    private static string AssistantLine(string session, string stamp, string model, string id, string? request, int input, int output, int cacheWrite, int cacheRead, string text) =>
        "{\"parentUuid\":\"" + Guid.NewGuid() + "\",\"isSidechain\":false,\"userType\":\"external\",\"cwd\":\"/home/user/project\",\"sessionId\":\"" + session
        + "\",\"version\":\"1.0.35\",\"gitBranch\":\"main\",\"message\":{\"id\":\"" + id + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model
        + "\",\"content\":[{\"type\":\"text\",\"text\":\"" + text + "\"},{\"type\":\"tool_use\",\"id\":\"toolu_" + id + "\",\"name\":\"Bash\",\"input\":{\"command\":\"ls -la\",\"description\":\"List files\"}}],"
        + "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":" + cacheWrite + ",\"cache_read_input_tokens\":" + cacheRead
        + ",\"output_tokens\":" + output + ",\"service_tier\":\"standard\"}}" + (request is null ? "" : ",\"requestId\":\"" + request + "\"")
        + ",\"type\":\"assistant\",\"uuid\":\"" + Guid.NewGuid() + "\",\"timestamp\":\"" + stamp + "\"}";

    // Source-like text, JSON-escaped as it is in the logs (newlines, quotes, tabs, some non-ASCII).
    private static string Text(Random random, int length)
    {
        string[] words = ["function", "return", "const", "value", "the", "file", "error", "test", "config", "=>", "{", "}", "\\n", "\\\"path\\\"", "\\t", "über", "数据", "import", "async", "await"];
        var text = new StringBuilder(length + 16);
        while (text.Length < length)
        {
            text.Append(words[random.Next(words.Length)]).Append(' ');
        }

        return text.ToString();
    }
}
