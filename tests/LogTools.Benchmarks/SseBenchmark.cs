using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LogTools.Engine.Runs;
using LogTools.Engine.Server;
using LogTools.Engine.Store;

namespace LogTools.Benchmarks;

/// <summary>
/// The live server: one writer appending at a fixed rate to a run that many SSE clients follow (delivered events/s,
/// write-to-arrival latency, and every client checked for loss and duplicates across the reconnects it is told to
/// make), then the replay of a large completed run over SSE and as NDJSON download (the static-file reference: the
/// file's bytes through the same server), fetched by curl, with cat of the file and the run reader alone beside them.
/// Bounded: it stops by itself. Usage: sse [clients] [events/s] [seconds] [replay-MiB]
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
        var replayMiB = Arg(args, 3, 1024);
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
            Console.WriteLine($"load at the start {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, {Environment.ProcessorCount} cores");
            Console.WriteLine();
            Console.WriteLine("| measurement | result | reference | ratio |");
            Console.WriteLine("|---|---:|---:|---:|");

            // 1. Fan-out: the writer stamps each sequence's write time; each client records arrival times by id.
            var total = rate * seconds;
            var run = ledger.Start(null, null, "bench", RunStatus.Running, Uncapped);
            var written = new long[total + 3];
            var url = new Uri($"{server.Url}api/runs/{run.RunId}/events?stream=true");
            var readers = Enumerable.Range(0, clients).Select(_ => Task.Run(() => Follow(url, written))).ToArray();
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
                        // Stamped as it is appended: the latency includes the writer's own buffering and flush.
                        written[writer.LastSequence + 1] = Stopwatch.GetTimestamp();
                        writer.Append(new NewRunEvent { Type = RunEventTypes.ConsoleLine, Time = DateTimeOffset.UtcNow, Message = "compiling src/module/file.c" });
                    }

                    writer.Flush();
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
            Row($"  write-to-arrival latency ({latencies.Length:N0} arrivals timed)", $"p50 {latencies[latencies.Length / 2]:0.0} ms, p99 {latencies[(int)(latencies.Length * 0.99)]:0.0} ms", "target p99 100 ms", 100 / latencies[(int)(latencies.Length * 0.99)]);
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
            var completed = ledger.Get(big.RunId);
            var path = completed.EventsPath;
            var mib = new FileInfo(path).Length / 1048576.0;
            var cat = Timing.Ms(2, () => Exec("sh", "-c", $"cat '{path}' > /dev/null")).Min / 1000;
            // The reference "static file served by the same server": a completed run's download is its file's bytes
            // copied to the response (FileStream to the HttpListener stream, no parsing), which is what a static
            // route would do; a benchmark-only route would add code to the server and measure the same copy.
            var download = Timing.Ms(2, () => Exec("curl", "-sS", "-o", "/dev/null", $"{server.Url}api/runs/{big.RunId}/events")).Min / 1000;
            var sse = Timing.Ms(2, () => Exec("curl", "-sS", "-N", "-o", "/dev/null", $"{server.Url}api/runs/{big.RunId}/events?stream=true")).Min / 1000;
            // What the SSE replay cannot beat: the run reader that finds each line's sequence, alone, in this process.
            var reader = Timing.Ms(2, () => RunEventReader.Read(completed, new RunEventQuery(), _ => { }, _ => { }, CancellationToken.None)).Min / 1000;
            Row($"NDJSON download of a {mib:N0} MiB completed run (curl), the static-file reference", $"{mib / download:N0} MiB/s", $"cat {mib / cat:N0} MiB/s", cat / download);
            Row($"SSE replay of the same run (curl -N)", $"{mib / sse:N0} MiB/s", $"download {mib / download:N0} MiB/s", download / sse);
            Row($"  SSE replay against the run reader alone (sequence and type of each line, no HTTP)", $"{mib / sse:N0} MiB/s", $"reader {mib / reader:N0} MiB/s", reader / sse);
            Console.WriteLine();
            Console.WriteLine($"load at the end {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// One SSE client: follows until the end event, reconnecting with Last-Event-ID when told to. It speaks HTTP/1.1
    /// on a plain socket (a request, the headers skipped, the chunked body decoded) and looks only at the id and event
    /// lines, so that 50 of them in this process cost little next to the server they measure.
    /// </summary>
    private static async Task<ClientResult> Follow(Uri url, long[] written)
    {
        var result = new ClientResult();
        long last = 0;
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(url.Host, url.Port);
            var resume = last > 0 ? $"Last-Event-ID: {last.ToString(CultureInfo.InvariantCulture)}\r\n" : string.Empty;
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\n{resume}Connection: close\r\n\r\n"));
            var body = new ChunkedBody(new NetworkStream(socket, ownsSocket: false));
            await body.SkipHeadersAsync();
            string? ending = null;
            var kept = 0; // bytes of a line not yet complete, at the start of the buffer
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(kept))) > 0)
            {
                var now = Stopwatch.GetTimestamp();
                var text = buffer.AsSpan(0, kept + read);
                int end;
                while ((end = text.IndexOf((byte)'\n')) >= 0)
                {
                    var line = text[..end];
                    if (line.StartsWith("id: "u8))
                    {
                        var id = long.Parse(line[4..], CultureInfo.InvariantCulture);
                        result.InOrder &= id == last + 1;
                        last = id;
                        result.Sequences++;
                        if (written[id] != 0)
                        {
                            result.Latencies.Add(Stopwatch.GetElapsedTime(written[id], now).TotalMilliseconds);
                        }
                    }
                    else if (line.StartsWith("event: "u8))
                    {
                        ending = Encoding.ASCII.GetString(line[7..]);
                    }

                    text = text[(end + 1)..];
                }

                // A line longer than the buffer would not fit: the benchmark's lines are short.
                text.CopyTo(buffer);
                kept = text.Length;
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

    /// <summary>The body of an HTTP/1.1 response with chunked transfer encoding, read from its stream (the benchmark's server always chunks SSE).</summary>
    private sealed class ChunkedBody(Stream inner)
    {
        private readonly byte[] buffer = new byte[1 << 16];
        private int position;
        private int length;
        private long left;
        private bool done;

        public async Task SkipHeadersAsync()
        {
            // Up to the empty line: CR LF CR LF.
            for (var matched = 0; matched < 4;)
            {
                var b = await ReadByteAsync();
                matched = b == (matched % 2 == 0 ? (byte)'\r' : (byte)'\n') ? matched + 1 : b == '\r' ? 1 : 0;
            }
        }

        public async Task<int> ReadAsync(Memory<byte> into)
        {
            if (done)
            {
                return 0;
            }

            if (left == 0)
            {
                long size = 0;
                for (var b = await ReadByteAsync(); b != '\r'; b = await ReadByteAsync())
                {
                    size = (size * 16) + (b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10);
                }

                await ReadByteAsync(); // LF
                if (size == 0)
                {
                    done = true;
                    return 0;
                }

                left = size;
            }

            if (position == length && !await FillAsync())
            {
                return 0;
            }

            var n = (int)Math.Min(Math.Min(left, length - position), into.Length);
            buffer.AsMemory(position, n).CopyTo(into);
            position += n;
            left -= n;
            if (left == 0)
            {
                await ReadByteAsync(); // CR LF after the chunk's data
                await ReadByteAsync();
            }

            return n;
        }

        private async Task<bool> FillAsync()
        {
            position = 0;
            length = await inner.ReadAsync(buffer);
            return length > 0;
        }

        private async Task<byte> ReadByteAsync()
        {
            if (position == length && !await FillAsync())
            {
                throw new EndOfStreamException("The server closed the stream inside the HTTP framing.");
            }

            return buffer[position++];
        }
    }
}
