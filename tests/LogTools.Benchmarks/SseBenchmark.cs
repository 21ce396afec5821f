using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LogTools.Engine.Runs;
using LogTools.Engine.Server;
using LogTools.Engine.Store;

namespace LogTools.Benchmarks;

/// <summary>
/// The live server: one writer appending at a fixed rate to a run that many SSE clients follow (delivered events/s,
/// write-to-arrival latency, and every client checked for loss and duplicates across the reconnects it is told to
/// make), then the replay of a large completed run over SSE and as NDJSON download, fetched by curl, against cat of
/// the same file. Bounded: it stops by itself. Usage: sse [clients] [events/s] [seconds] [replay-MiB]
/// </summary>
public sealed class SseBenchmark : IBenchmark
{
    private const long Uncapped = 1L << 40;

    public string Name => "sse";

    public int Run(string[] args)
    {
        var clients = Arg(args, 0, 50);
        var rate = Arg(args, 1, 10_000);
        var seconds = Arg(args, 2, 10);
        var replayMiB = Arg(args, 3, 256);
        var root = Path.Combine(Path.GetTempPath(), "logtools-bench-sse-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = LogStore.Open(Path.Combine(root, "store"));
            var ledger = new RunLedger(store);
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            using var server = LogServer.Start(LogStore.Open(store.Path, StoreAccess.Read), "127.0.0.1", port);
            Console.WriteLine($"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, {Environment.ProcessorCount} cores");
            Console.WriteLine();
            Console.WriteLine("| measurement | result | reference | ratio |");
            Console.WriteLine("|---|---:|---:|---:|");

            // 1. Fan-out: the writer stamps each sequence's write time; each client records arrival times by id.
            var total = rate * seconds;
            var run = ledger.Start(null, null, "bench", RunStatus.Running, Uncapped);
            var written = new long[total + 3];
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var url = $"{server.Url}api/runs/{run.RunId}/events?stream=true";
            var readers = Enumerable.Range(0, clients).Select(_ => Task.Run(() => Follow(http, url, written))).ToArray();
            while (server.Clients < clients)
            {
                Thread.Sleep(10);
            }

            var clock = Stopwatch.StartNew();
            using (var writer = RunEventWriter.Open(run.EventsPath, run.RunId, Uncapped))
            {
                var batch = Math.Max(1, rate / 100);
                for (var sent = 0; sent < total;)
                {
                    for (var i = 0; i < batch && sent < total; i++, sent++)
                    {
                        writer.Append(new NewRunEvent { Type = RunEventTypes.ConsoleLine, Time = DateTimeOffset.UtcNow, Message = "compiling src/module/file.c" });
                    }

                    writer.Flush();
                    var now = Stopwatch.GetTimestamp();
                    for (var s = writer.LastSequence - batch + 1; s <= writer.LastSequence; s++)
                    {
                        written[s] = now;
                    }

                    var due = TimeSpan.FromSeconds(sent / (double)rate) - clock.Elapsed;
                    if (due > TimeSpan.Zero)
                    {
                        Thread.Sleep(due);
                    }
                }
            }

            var writeTime = clock.Elapsed.TotalSeconds;
            ledger.Complete(run.RunId, RunStatus.Succeeded, 0, [], null);
            var results = Task.WhenAll(readers).GetAwaiter().GetResult();
            var delivered = clock.Elapsed.TotalSeconds;
            var expected = total + 2;
            var lossless = results.Count(r => r.Sequences == expected && r.InOrder);
            var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
            Row($"SSE fan-out: 1 writer, {total:N0} events at {rate:N0} ev/s, {clients} clients",
                $"{results.Sum(r => (long)r.Sequences) / delivered:N0} ev/s delivered", $"written {total / writeTime:N0} ev/s x {clients}", results.Sum(r => (long)r.Sequences) / delivered / (total / writeTime * clients));
            Row("  write-to-arrival latency", $"p50 {latencies[latencies.Length / 2]:0.0} ms, p99 {latencies[(int)(latencies.Length * 0.99)]:0.0} ms", "target p99 100 ms", 100 / latencies[(int)(latencies.Length * 0.99)]);
            Row("  clients with every event once, in order", $"{lossless} of {clients}", $"reconnects told: {results.Sum(r => r.Reconnects)}", lossless / (double)clients);

            // 2. Replay of a large completed run: SSE and download through curl, against cat of the log.
            var big = ledger.Start(null, null, "bench", RunStatus.Running, Uncapped);
            using (var writer = RunEventWriter.Open(big.EventsPath, big.RunId, Uncapped))
            {
                while (writer.Length < replayMiB * 1024L * 1024)
                {
                    writer.Append(new NewRunEvent { Type = RunEventTypes.ConsoleLine, Time = DateTimeOffset.UtcNow, Message = "a console line of a long data-processing run, with some detail" });
                }
            }

            ledger.Complete(big.RunId, RunStatus.Succeeded, 0, [], null);
            var path = ledger.Get(big.RunId).EventsPath;
            var mib = new FileInfo(path).Length / 1048576.0;
            var cat = Timing.Ms(2, () => Exec("sh", "-c", $"cat '{path}' > /dev/null")).Min / 1000;
            var download = Timing.Ms(2, () => Exec("curl", "-sS", "-o", "/dev/null", $"{server.Url}api/runs/{big.RunId}/events")).Min / 1000;
            var sse = Timing.Ms(2, () => Exec("curl", "-sS", "-N", "-o", "/dev/null", $"{server.Url}api/runs/{big.RunId}/events?stream=true")).Min / 1000;
            Row($"NDJSON download of a {mib:N0} MiB run (curl)", $"{mib / download:N0} MiB/s", $"cat {mib / cat:N0} MiB/s", cat / download);
            Row($"SSE replay of the same run (curl -N)", $"{mib / sse:N0} MiB/s", $"cat {mib / cat:N0} MiB/s", cat / sse);
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>One SSE client: follows until the end event, reconnecting with Last-Event-ID when told to.</summary>
    private static async Task<ClientResult> Follow(HttpClient http, string url, long[] written)
    {
        var result = new ClientResult();
        long last = 0;
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (last > 0)
            {
                request.Headers.TryAddWithoutValidation("Last-Event-ID", last.ToString(CultureInfo.InvariantCulture));
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            string? ending = null;
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    var id = long.Parse(line.AsSpan(4), CultureInfo.InvariantCulture);
                    result.InOrder &= id == last + 1;
                    last = id;
                    result.Sequences++;
                    if (written[id] != 0)
                    {
                        result.Latencies.Add(Stopwatch.GetElapsedTime(written[id]).TotalMilliseconds);
                    }
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    ending = line[7..];
                }
            }

            if (ending != "reconnect")
            {
                return result;
            }

            result.Reconnects++;
        }
    }

    private static int Arg(string[] args, int index, int fallback) =>
        args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

    private static void Row(string what, string result, string reference, double ratio) =>
        Console.WriteLine($"| {what} | {result} | {reference} | {ratio:0.00}x |");

    private static void Exec(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        process.WaitForExit();
    }

    private sealed class ClientResult
    {
        public int Sequences { get; set; }

        public bool InOrder { get; set; } = true;

        public int Reconnects { get; set; }

        public List<double> Latencies { get; } = [];
    }
}
