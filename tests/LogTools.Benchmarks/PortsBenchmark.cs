using System.Diagnostics;
using System.Globalization;
using System.Text;
using LogTools.Engine;
using LogTools.Engine.Ports;
using LogTools.Engine.Store;

namespace LogTools.Benchmarks;

/// <summary>
/// Ports: a generated tree (4 to 9 files a port, a random DAG about 10 levels deep) built by the engine against ninja
/// on the equivalent build.ninja (one edge per port: its files and its dependencies' stamps in, a stamp out). A no-op
/// build (engine: every port's content checksum; ninja: stat of every input), and a full build with trivial phases
/// at -Jobs 2 against ninja -j2. Usage: ports [port-count]
/// </summary>
public sealed class PortsBenchmark : IBenchmark
{
    private const int Levels = 10;

    public string Name => "ports";

    public int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
        var root = Path.Combine(Path.GetTempPath(), "logtools-bench-ports-" + Guid.NewGuid().ToString("N"));
        try
        {
            var tree = Path.Combine(root, "ports");
            var ninja = Path.Combine(root, "ninja");
            Generate(tree, ninja, count);

            // A file written in the last 3 s is read again whatever its stat says (its ctime could still hide a change);
            // a tree checked out or edited before a build is older than that, so the build starts once it is.
            Thread.Sleep(TimeSpan.FromSeconds(3.5));
            Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, {Environment.ProcessorCount} cores, {count:N0} ports");
            Console.WriteLine();
            Console.WriteLine("| measurement | LogTools | ninja | ratio | per port (LogTools) |");
            Console.WriteLine("|---|---:|---:|---:|---:|");

            var store = Path.Combine(root, "store");
            var options = new PortBuildOptions { PortsPath = tree, WorkPath = Path.Combine(root, "work"), Jobs = 2 };
            var stages = new List<string>();
            var full = Time(() => stages.AddRange(Build(store, options, PortBuildStatus.Success, count).Select(s => "full build: " + s)));
            var ninjaFull = Time(() => Ninja(ninja, "-j2"));
            Row("full build, trivial phases, -Jobs 2 / -j2", full, ninjaFull, count);

            var noop = Timing.Ms(3, () => stages.AddRange(Build(store, options, PortBuildStatus.Skipped, count).Select(s => "no-op: " + s)));
            var ninjaNoop = Timing.Ms(3, () => Ninja(ninja, "-j2"));
            Row("no-op build (median of 3)", noop.Median, ninjaNoop.Median, count);
            Console.WriteLine();
            Console.WriteLine($"Stages (the engine's verbose lines; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end):");
            stages.ForEach(s => Console.WriteLine("- " + s));
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Row(string what, double ms, double ninjaMs, int count) =>
        Console.WriteLine($"| {what} | {ms / 1000:F2} s | {ninjaMs / 1000:F2} s | {ms / ninjaMs:F2}x | {ms * 1000 / count:F0} µs |");

    private static double Time(Action work)
    {
        var clock = Stopwatch.StartNew();
        work();
        return clock.Elapsed.TotalMilliseconds;
    }

    // The engine's verbose lines: the time each stage of the plan and of the build took.
    private static List<string> Build(string store, PortBuildOptions options, PortBuildStatus expected, int count)
    {
        var sink = new CountingSink();
        PortBuilder.Build(store, () => LogStore.Open(store), options, sink);
        if (sink.Counts.GetValueOrDefault(expected) != count)
        {
            throw new InvalidOperationException($"expected {count} ports {expected}, got {string.Join(", ", sink.Counts)}; {string.Join("; ", sink.Messages.Take(3))}");
        }

        return sink.Stages;
    }

    private static void Ninja(string folder, string jobs)
    {
        using var process = Process.Start(new ProcessStartInfo("ninja", ["-C", folder, jobs, "--quiet"]) { RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ninja exited with {process.ExitCode}");
        }
    }

    // Ports on Levels levels; a port depends on up to 3 ports of lower levels. The same graph as ninja edges.
    private static void Generate(string tree, string ninja, int count)
    {
        var random = new Random(42);
        var origins = Enumerable.Range(0, count).Select(i => $"cat{i % 50:D2}/port{i:D5}").ToArray();
        var level = origins.Select((_, i) => i * Levels / count).ToArray();
        var build = new StringBuilder("rule port\n  command = touch $out\n\n");
        Directory.CreateDirectory(ninja);
        for (var i = 0; i < count; i++)
        {
            var folder = Path.Combine(tree, origins[i]);
            Directory.CreateDirectory(Path.Combine(folder, "files"));
            var lower = Array.FindLastIndex(level, l => l < level[i]);
            var depends = lower < 0 ? [] : Enumerable.Range(0, random.Next(0, 4)).Select(_ => origins[random.Next(0, lower + 1)]).Distinct().ToArray();
            File.WriteAllText(Path.Combine(folder, PortSpec.FileName), $"name: {origins[i]}\nversion: '1.0'\ndepends: [{string.Join(", ", depends)}]\nphases:\n  build: 'true'\n");
            var files = new List<string> { Path.Combine(folder, PortSpec.FileName) };
            for (var f = 0; f < random.Next(3, 9); f++)
            {
                var file = Path.Combine(folder, "files", $"patch-{f}");
                File.WriteAllBytes(file, RandomBytes(random, random.Next(200, 4000)));
                files.Add(file);
            }

            build.Append($"build stamp/{origins[i]}: port {string.Join(' ', files)}");
            build.Append(depends.Length == 0 ? "\n" : $" | {string.Join(' ', depends.Select(d => "stamp/" + d))}\n");
            Directory.CreateDirectory(Path.Combine(ninja, "stamp", Path.GetDirectoryName(origins[i])!));
        }

        File.WriteAllText(Path.Combine(ninja, "build.ninja"), build.ToString());
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Counts the ports by status; keeps warnings and errors to explain a wrong count.</summary>
    private sealed class CountingSink : IEngineSink
    {
        public Dictionary<PortBuildStatus, int> Counts { get; } = [];

        public List<string> Messages { get; } = [];

        public List<string> Stages { get; } = [];

        public CancellationToken CancellationToken => default;

        public void Output(object item)
        {
            if (item is PortBuildResult result)
            {
                Counts[result.Status] = Counts.GetValueOrDefault(result.Status) + 1;
            }
        }

        public void Progress(EngineProgress progress)
        {
        }

        public void Warning(string message) => Messages.Add(message);

        public void Warning(LogToolsException condition) => Messages.Add(condition.Message);

        public void Error(LogToolsException error) => Messages.Add(error.Message);

        public void Verbose(string message) => Stages.Add(message);

        public bool ShouldProcess(string? target, string action) => true;
    }
}
