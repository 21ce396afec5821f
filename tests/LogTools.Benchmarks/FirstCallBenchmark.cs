using System.Diagnostics;
using System.Globalization;
using System.Text;
using LogTools.Tests.Support;

namespace LogTools.Benchmarks;

/// <summary>
/// The first command of each kind in a fresh pwsh, as a scheduled task runs it, against the same command run a second
/// time in one process (warm). First = wall time of <c>pwsh -c 'Import-Module …; cmd'</c> minus that of
/// <c>pwsh -c 'Import-Module …'</c> in the same round, both processes running nothing else; a third, instrumented process
/// reports the first call's own time and the methods the JIT compiled for it (JitInfo: independent of the machine's load).
/// Four floors: what a binary cmdlet's first call costs in the same measurement (one that does nothing, one that only
/// reads one row of the store's SQLite database, two built in). Each round runs the empty command and
/// every command once per module build (out/LogTools, or each <c>--module</c> given, e.g. a copy built without ReadyToRun
/// images), alternated, so builds are compared within a round. With <c>--jit-owners</c> a fourth process per command
/// and round records the first call's JIT events (<see cref="JitLog"/>) and sums them by whose code was compiled.
/// Usage: first-call [rounds] [--mb N] [--jit-owners] [--module path/to/LogTools.psd1]...
/// </summary>
public sealed class FirstCallBenchmark : IBenchmark
{
    private const int AppendBytes = 1 << 20;

    public string Name => "first-call";

    public int Run(string[] args)
    {
        var rounds = 5;
        var mb = 1024;
        var modules = new List<string>();
        var jitOwners = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--mb": mb = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--jit-owners": jitOwners = true; break;
                case "--module": modules.Add(Path.GetFullPath(args[++i])); break;
                default: rounds = int.Parse(args[i], CultureInfo.InvariantCulture); break;
            }
        }

        if (modules.Count == 0)
        {
            modules.Add(Repo.ModuleManifest);
        }

        var folder = Path.Combine(Path.GetTempPath(), "logtools-bench-first-call-" + Environment.ProcessId);
        try
        {
            return Measure(folder, rounds, mb, jitOwners, modules);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Measure(string folder, int rounds, int mb, bool jitOwners, List<string> modules)
    {
        Directory.CreateDirectory(Path.Combine(folder, "host"));
        Directory.CreateDirectory(Path.Combine(folder, "ports"));
        var store = Path.Combine(folder, "store");
        var active = Path.Combine(folder, "host", "app.log");
        var config = Path.Combine(folder, "app.yml");
        File.WriteAllText(config, "name: app\narchived_pattern: host/app-*.log\nactive_pattern: host/app.log\npond_path: logs/app\n");
        var block = LogBlock();
        using (var file = File.Create(active))
        {
            for (var i = 0; i < mb; i++)
            {
                file.Write(block);
            }
        }

        for (var i = 0; i < 5; i++)
        {
            var port = Path.Combine(folder, "ports", "tools", "p" + i);
            Directory.CreateDirectory(port);
            File.WriteAllText(Path.Combine(port, "port.yml"), $"name: tools/p{i}\nversion: '1.0'\ndepends: []\nphases:\n  build: 'true'\n");
        }

        // The store, the first mirror of the big file, a few calls, a run and the ports built once: every command below finds its data.
        var runId = Script(modules[0], $$"""
            Sync-LogSource -Config '{{config}}' -Store '{{store}}' | Out-Null
            1..20 | ForEach-Object { Add-ApiCall -Model bench -CostUsd 0.01 -Store '{{store}}' }
            Invoke-PortBuild -PortsPath '{{folder}}/ports' -Store '{{store}}' | Out-Null
            (Start-LogRun -Kind bench -MaxLogSize 1TB -Store '{{store}}').RunId
            """).Output.Trim();
        // The floor: what PowerShell's first call of a binary cmdlet costs in the same measurement: one that does
        // nothing, of a module imported beside LogTools before the timed part (Skip-Object, this assembly's; the first
        // column includes that import), and built-in ones without (Get-Module, in pwsh's core) and with (Get-Date, in
        // Microsoft.PowerShell.Utility) loading their module.
        var floorModule = $"Import-Module '{typeof(SkipObjectCommand).Assembly.Location}'";
        var moduleFolder = Path.GetDirectoryName(modules[0])!;
        var sqliteFloor = floorModule + "\n" + ReadSqliteFloorCommand.LoadModuleCopies(moduleFolder);
        var commands = new (string Label, string Setup, string Command, bool Appends)[]
        {
            ("Sync-LogSource, 1 MiB appended to a " + mb + " MiB file", "", $"Sync-LogSource -Config '{config}' -Store '{store}' | Out-Null", true),
            ("Get-ApiCost -Today", "", $"Get-ApiCost -Today -Store '{store}' | Out-Null", false),
            ("Add-ApiCall", "", $"Add-ApiCall -Model bench -CostUsd 0 -Store '{store}'", false),
            ("Write-RunEvent", "", $"Write-RunEvent -Type bench -Message first -RunId {runId} -Store '{store}'", false),
            ("Invoke-PortBuild, nothing to build", "", $"Invoke-PortBuild -PortsPath '{folder}/ports' -Store '{store}' | Out-Null", false),
            ("floor: Skip-Object, a compiled cmdlet that does nothing", floorModule, "Skip-Object -InputObject 1", false),
            ("floor: Read-SqliteFloor, a compiled cmdlet that opens the store's database and reads one row", sqliteFloor,
                $"Read-SqliteFloor '{Path.Combine(store, "logtools.db")}' -NativeLibrary '{ReadSqliteFloorCommand.NativePath(moduleFolder)}' | Out-Null", false),
            ("floor: Get-Module, built in", "", "Get-Module LogTools | Out-Null", false),
            ("floor: Get-Date, built in, its module auto-loaded", "", "Get-Date | Out-Null", false),
        };

        var loadBefore = Timing.Load();
        var empty = modules.Select(_ => new List<double>()).ToArray();
        var first = new Dictionary<(int, int), List<Sample>>();
        var warm = new Dictionary<(int, int), List<double>>();
        var owners = new Dictionary<(int, int), List<(double Methods, double Ms)[]>>();
        for (var round = 1; round <= rounds; round++)
        {
            for (var m = 0; m < modules.Count; m++)
            {
                empty[m].Add(Script(modules[m], "").WallMs);
            }

            for (var c = 0; c < commands.Length; c++)
            {
                for (var m = 0; m < modules.Count; m++)
                {
                    var (_, setup, command, appends) = commands[c];
                    if (appends)
                    {
                        AppendBlock(active, block);
                    }

                    // Timed exactly as defined: Import-Module and the command, nothing else in the process.
                    var wall = Script(modules[m], setup + "\n" + command).WallMs;
                    if (appends)
                    {
                        AppendBlock(active, block);
                    }

                    // The same first call once more, instrumented: its own time and what the JIT compiled for it.
                    var run = Script(modules[m], $$"""
                        {{setup}}
                        $jit = [Runtime.JitInfo]::GetCompiledMethodCount($false); $jitTime = [Runtime.JitInfo]::GetCompilationTime($false)
                        $sw = [Diagnostics.Stopwatch]::StartNew()
                        {{command}}
                        '{0:F1} {1} {2:F1}' -f $sw.Elapsed.TotalMilliseconds, ([Runtime.JitInfo]::GetCompiledMethodCount($false) - $jit), ([Runtime.JitInfo]::GetCompilationTime($false) - $jitTime).TotalMilliseconds
                        """);
                    var parts = run.Output.Trim().Split(' ');
                    Add(first, (c, m), new Sample(wall, Parse(parts[0]), Parse(parts[1]), Parse(parts[2])));

                    if (appends)
                    {
                        AppendBlock(active, block);
                    }

                    var prepare = appends ? $"$f = [IO.File]::Open('{active}', 'Append'); $f.Write($block, 0, $block.Length); $f.Dispose()" : "";
                    var second = Script(modules[m], $$"""
                        {{setup}}
                        $block = [IO.File]::ReadAllBytes('{{active}}.block')
                        {{command}}
                        {{prepare}}
                        $sw = [Diagnostics.Stopwatch]::StartNew()
                        {{command}}
                        '{0:F1}' -f $sw.Elapsed.TotalMilliseconds
                        """);
                    Add(warm, (c, m), Parse(second.Output.Trim()));
                    if (jitOwners)
                    {
                        if (appends)
                        {
                            AppendBlock(active, block);
                        }

                        // Once more, with the runtime's JIT events recorded: the first call's compilation by owner.
                        var logged = Script(modules[m], $$"""
                            Import-Module '{{typeof(JitLog).Assembly.Location}}'
                            $jitLog = [LogTools.Benchmarks.JitLog]::new()
                            {{setup}}
                            $jitLog.Begin()
                            {{command}}
                            $jitLog.End()
                            $jitLog.Report()
                            """);
                        Add(owners, (c, m), logged.Output.Trim().Split('\n').Select(line => line.Split('|')).Select(f => (Parse(f[1]), Parse(f[2]))).ToArray());
                    }
                }
            }

            Console.Error.WriteLine($"round {round}/{rounds} done, load {Timing.Load()}");
        }

        Console.WriteLine($"First call in a fresh pwsh against the second call in one process, {rounds} rounds alternated; load average {loadBefore} before, {Timing.Load()} after.");
        Console.WriteLine("first = wall(Import-Module; cmd) - wall(Import-Module) of the same round; in-process = the command's own time in a first process of its own (instrumented); JIT = methods compiled (and JIT time) during that first call.");
        Console.WriteLine();
        Console.WriteLine("| command | module | first, median (min–max) | in-process first | warm, median (min–max) | first / warm | JIT methods (ms) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        for (var c = 0; c < commands.Length; c++)
        {
            for (var m = 0; m < modules.Count; m++)
            {
                var samples = first[(c, m)];
                var net = samples.Select((s, r) => s.WallMs - empty[m][r]).ToList();
                var inProcess = Timing.Median(samples.Select(s => s.CommandMs));
                var warmMedian = Timing.Median(warm[(c, m)]);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {commands[c].Label} | {Label(modules[m])} | {Timing.Median(net):F0} ms ({net.Min():F0}–{net.Max():F0}) | {inProcess:F0} ms | {warmMedian:F1} ms ({warm[(c, m)].Min():F1}–{warm[(c, m)].Max():F1}) | {Timing.Median(net) / warmMedian:F1}x (in-process {inProcess / warmMedian:F1}x) | {Timing.Median(samples.Select(s => s.JitMethods)):F0} ({Timing.Median(samples.Select(s => s.JitMs)):F0}) |"));
            }
        }

        for (var m = 0; m < modules.Count; m++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| (pwsh + Import-Module alone) | {Label(modules[m])} | {Timing.Median(empty[m]):F0} ms ({empty[m].Min():F0}–{empty[m].Max():F0}) | | | | |"));
        }

        if (jitOwners)
        {
            PrintOwners(commands.Select(c => c.Label).ToArray(), modules, owners);
        }

        return 0;
    }

    /// <summary>The first calls' JIT by whose code was compiled: methods (JIT ms), the medians of the rounds.</summary>
    private static void PrintOwners(string[] labels, List<string> modules, Dictionary<(int, int), List<(double Methods, double Ms)[]>> owners)
    {
        Console.WriteLine();
        Console.WriteLine("JIT during the first call by whose code was compiled (runtime JIT events in a process of its own; methods, and ms from each compilation's start to its code's load), medians of the rounds:");
        Console.WriteLine();
        Console.WriteLine("| command | module | " + string.Join(" | ", JitLog.Owners.Select(o => o.Owner)) + " | all |");
        Console.WriteLine("|---|---|" + string.Concat(JitLog.Owners.Select(_ => "---:|")) + "---:|");
        for (var c = 0; c < labels.Length; c++)
        {
            for (var m = 0; m < modules.Count; m++)
            {
                var rounds = owners[(c, m)];
                var cells = Enumerable.Range(0, JitLog.Owners.Length)
                    .Select(o => (Timing.Median(rounds.Select(r => r[o].Methods)), Timing.Median(rounds.Select(r => r[o].Ms))))
                    .Append((Timing.Median(rounds.Select(r => r.Sum(x => x.Methods))), Timing.Median(rounds.Select(r => r.Sum(x => x.Ms)))));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {labels[c]} | {Label(modules[m])} | {string.Join(" | ", cells.Select(x => $"{x.Item1:F0} ({x.Item2:F1})"))} |"));
            }
        }
    }

    private static string Label(string manifest) => manifest == Repo.ModuleManifest ? "out/LogTools" : manifest;

    private static double Parse(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> samples, TKey key, TValue value)
        where TKey : notnull
    {
        if (!samples.TryGetValue(key, out var list))
        {
            samples[key] = list = [];
        }

        list.Add(value);
    }

    private static void AppendBlock(string path, byte[] block)
    {
        File.WriteAllBytes(path + ".block", block);
        using var file = new FileStream(path, FileMode.Append);
        file.Write(block);
    }

    /// <summary>1 MiB of log lines.</summary>
    private static byte[] LogBlock()
    {
        var text = new StringBuilder(AppendBytes);
        for (var i = 0; text.Length < AppendBytes; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{{\"time\":\"2026-12-01T00:00:{i % 60:D2}Z\",\"level\":\"info\",\"message\":\"request {i} served\"}}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString(0, AppendBytes));
    }

    /// <summary>
    /// A fresh pwsh importing <paramref name="manifest"/> (none when null) and running <paramref name="script"/>: its wall time and output.
    /// pwsh records the methods each process compiled in a startup profile in its cache folder and compiles them ahead
    /// in the next process (multicore JIT), whichever command that runs; so each process here starts without one, in
    /// a cache folder of its own (<paramref name="cache"/>, default one of this process), instead of with whatever
    /// pwsh last ran on the machine.
    /// </summary>
    internal static (double WallMs, string Output) Script(string? manifest, string script, string? cache = null)
    {
        var info = Pwsh.StartInfo(["-Command", manifest is null ? script : $"Import-Module '{manifest}' -ErrorAction Stop\n{script}"]);
        cache ??= Path.Combine(Path.GetTempPath(), "logtools-bench-first-call-" + Environment.ProcessId, "cache");
        info.Environment["XDG_CACHE_HOME"] = cache;
        File.Delete(Path.Combine(Directory.CreateDirectory(Path.Combine(cache, "powershell")).FullName, "StartupProfileData-NonInteractive"));
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var wall = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0 || error.Result.Length > 0)
        {
            throw new InvalidOperationException($"pwsh failed ({process.ExitCode}): {error.Result}\n{script}");
        }

        return (wall, output);
    }

    private sealed record Sample(double WallMs, double CommandMs, double JitMethods, double JitMs);
}
