using System.Diagnostics;
using System.Globalization;
using System.Text;
using LogTools.Engine.Hashing;
using LogTools.Engine.Ingest;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Benchmarks;

/// <summary>
/// The Ingest area: bulk logging against the sqlite3 CLI inserting the same rows in one transaction (engine, and
/// Write-IngestLog through the pipeline), delta logging from a pipeline database, Build-IngestBlock with its hashing
/// throughput against b3sum over the same leaf bytes, and Test-IngestBlock. Usage: ingest [records] [piped] [delta]; with
/// "delta" only the bulk records (the store the delta writes into) and the deltas run, without the references, the
/// pipeline through Write-IngestLog, the blocks and their check.
/// </summary>
public sealed class IngestBenchmark : IBenchmark
{
    public string Name => "ingest";

    public int Run(string[] args)
    {
        var records = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var piped = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
        var deltaOnly = args.Length > 2 && args[2] == "delta";
        var root = Path.Combine(Path.GetTempPath(), "logtools-bench-ingest-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var store = LogStore.Open(Path.Combine(root, "store"));
            var runs = new RunLedger(store);
            var ledger = new IngestLedger(store);
            Console.WriteLine($"load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
            Console.WriteLine();
            Console.WriteLine("| measurement | result | reference | ratio |");
            Console.WriteLine("|---|---:|---:|---:|");

            // 1. Bulk logging: the engine in Write-IngestLog's batches, against sqlite3 inserting the same rows in one transaction.
            var run = runs.Start(null, null, "bench", RunStatus.Running).RunId;
            var rows = Enumerable.Range(0, records).Select(Record).ToList();
            var clock = Stopwatch.StartNew();
            foreach (var batch in rows.Chunk(10_000))
            {
                ledger.Write(run, "parse", batch);
            }

            var engine = records / clock.Elapsed.TotalSeconds;
            var other = runs.Start(null, null, "bench", RunStatus.Running).RunId;
            if (deltaOnly)
            {
                Row($"bulk logging, {records:N0} records (engine, batches of 10,000)", $"{engine:N0} rows/s", "-", 0);
                Delta(runs, ledger, root, records, other);
                return 0;
            }

            var script = Path.Combine(root, "insert.sql");
            WriteInsertScript(script, run, rows);
            var cli = records / Seconds("sqlite3", Path.Combine(root, "cli.db"), $".read {script}");
            Row($"bulk logging, {records:N0} records (engine, batches of 10,000)", $"{engine:N0} rows/s", $"sqlite3 {cli:N0} rows/s", engine / cli);

            // The pipeline and the delta log into another run, so the blocks below are those of the bulk records alone.
            using (var runspace = Timing.ModuleRunspace())
            {
                Timing.Invoke(runspace, "$global:rows = foreach ($i in 1..$args[0]) { [pscustomobject]@{ RelPath = \"src/$i.c\"; SizeRaw = $i; ContentHash = 'ab' } }", piped);
                clock.Restart();
                Timing.Invoke(runspace, "$global:rows | Write-IngestLog -Phase piped -RunId $args[0] -Store $args[1]", other, store.Path);
                var cmdlet = piped / clock.Elapsed.TotalSeconds;
                Row($"Write-IngestLog, {piped:N0} objects through the pipeline", $"{cmdlet:N0} rows/s", $"sqlite3 {cli:N0} rows/s", cmdlet / cli);
            }

            Delta(runs, ledger, root, records, other);

            // 3. Build-IngestBlock over the bulk phase, and its hashing against b3sum over the same leaf bytes.
            var audit = new IngestAudit(store);
            clock.Restart();
            var built = audit.Build(run, 500, force: true).Single(p => p.Phase == "parse");
            var build = clock.Elapsed.TotalSeconds;
            var leaves = Path.Combine(root, "leaves.bin");
            var leafList = new List<byte[]>(records);
            ledger.Find(run, "parse", null, null, r => leafList.Add(IngestLeaf.Bytes(r)));
            long leafBytes = 0;
            using (var file = new FileStream(leaves, FileMode.Create))
            {
                foreach (var leaf in leafList)
                {
                    leafBytes += leaf.Length;
                    file.Write(leaf);
                }
            }

            var hashing = Stopwatch.StartNew();
            foreach (var leaf in leafList)
            {
                MerkleTree.LeafHash(leaf, MerkleHash.Blake3);
            }

            var leafRate = leafBytes / hashing.Elapsed.TotalSeconds / 1048576;
            // What each leaf cost before the one-shot hash: a fresh streaming hasher for 0x00 ‖ leaf.
            var digest = new byte[MerkleHash.Size];
            hashing.Restart();
            foreach (var leaf in leafList)
            {
                Blake3Hasher.Create().Update([0x00]).Update(leaf).Finalize(digest);
            }

            var hasherRate = leafBytes / hashing.Elapsed.TotalSeconds / 1048576;
            leafList.Clear();
            var b3sum = leafBytes / Seconds("b3sum", "--num-threads", "1", leaves) / 1048576;
            Row($"Build-IngestBlock, {records:N0} records into {built.BlockCount:N0} blocks", $"{build:0.00} s ({records / build:N0} rows/s)", "-", 0);
            Row($"leaf hashing, {leafBytes / 1048576.0:N0} MiB of leaf bytes in {records:N0} leaves", $"{leafRate:N0} MiB/s", $"b3sum 1 thread {b3sum:N0} MiB/s", leafRate / b3sum);
            Row("leaf hashing with a fresh streaming hasher a leaf (before)", $"{hasherRate:N0} MiB/s", $"one-shot {leafRate:N0} MiB/s", hasherRate / leafRate);

            // 4. Test-IngestBlock over the same run.
            var checks = 0;
            clock.Restart();
            audit.Verify(run, "parse", null, null, _ => checks++);
            var verify = clock.Elapsed.TotalSeconds;
            Row($"Test-IngestBlock, {records:N0} records ({checks:N0} findings)", $"{verify:0.00} s ({records / verify:N0} rows/s)", "-", 0);
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Delta logging: 100,000 new rows of a pipeline table of <paramref name="records"/>, 90% of them already logged, into
    /// <paramref name="other"/>. In WAL mode the pipeline database is attached read-only: when the first rows are those of
    /// the run's last delta (same count and BLAKE3 of their relpaths), only the rows after them are looked up and
    /// inserted; without such a delta (the first 90% logged row by row here) one INSERT … SELECT … NOT IN takes them all,
    /// as every delta did before. The same database in rollback-journal mode is read row by row, into a third run.
    /// </summary>
    private static void Delta(RunLedger runs, IngestLedger ledger, string root, int records, string other)
    {
        var pipeline = Path.Combine(root, "app.db");
        var rollback = Path.Combine(root, "app-rollback.db");
        Seconds("sqlite3", pipeline, "PRAGMA journal_mode = WAL; CREATE TABLE files (id INTEGER PRIMARY KEY, path TEXT, bytes INTEGER, ast TEXT); " +
            $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {records}) INSERT INTO files SELECT i, 'src/' || i || '.c', i, 'x' FROM n;");
        Seconds("sqlite3", pipeline, $"VACUUM INTO '{rollback}'");
        Seconds("sqlite3", rollback, "PRAGMA journal_mode = DELETE");
        var delta = records / 10;
        var (cold, byRow) = (runs.Start(null, null, "bench", RunStatus.Running).RunId, runs.Start(null, null, "bench", RunStatus.Running).RunId);
        var before = $"SELECT id AS file_id, path AS relpath, bytes AS size_raw FROM files WHERE id <= {records - delta}";
        ledger.WriteDelta(other, "ast", pipeline, before);
        ledger.WriteDelta(cold, "ast", rollback, before);
        ledger.WriteDelta(byRow, "ast", rollback, before);
        const string all = "SELECT id AS file_id, path AS relpath, bytes AS size_raw FROM files";
        var clock = Stopwatch.StartNew();
        var logged = ledger.WriteDelta(other, "ast", pipeline, all);
        var deltaSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        ledger.WriteDelta(cold, "ast", pipeline, all);
        var coldSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        ledger.WriteDelta(byRow, "ast", rollback, all);
        var byRowSeconds = clock.Elapsed.TotalSeconds;
        Row($"delta logging, {logged:N0} new of {records:N0} rows, WAL pipeline, first rows those of the last delta", $"{deltaSeconds * 1000:N0} ms",
            $"no last delta (INSERT … SELECT … NOT IN) {coldSeconds * 1000:N0} ms", coldSeconds / deltaSeconds);
        Row("delta logging, the same, rollback-journal pipeline (row by row)", $"{byRowSeconds * 1000:N0} ms",
            $"first rows those of the last delta {deltaSeconds * 1000:N0} ms", byRowSeconds / deltaSeconds);
    }

    private static IngestRecord Record(int i) => new()
    {
        RelPath = $"mods/pack{i % 100:D2}/file{i:D7}.json",
        Status = i % 50 == 0 ? IngestStatus.Error : IngestStatus.Processed,
        SizeRaw = 1000 + i,
        SizeStored = 500 + i,
        ContentHash = "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
        FileId = i,
    };

    /// <summary>The same rows as one transaction of INSERTs into a table like ingest_log, with its indexes.</summary>
    private static void WriteInsertScript(string path, string run, List<IngestRecord> rows)
    {
        using var sql = new StreamWriter(path, false, new UTF8Encoding(false));
        sql.WriteLine("CREATE TABLE ingest_log (log_id INTEGER PRIMARY KEY, build_id TEXT NOT NULL, phase TEXT NOT NULL, timestamp TEXT NOT NULL, file_id INTEGER, " +
            "content_version_id INTEGER, relpath TEXT NOT NULL, status TEXT NOT NULL, size_raw INTEGER, size_stored INTEGER, content_hash TEXT, error_type TEXT, error_msg TEXT);");
        sql.WriteLine("CREATE INDEX ingest_log_build ON ingest_log (build_id); CREATE INDEX ingest_log_build_phase_relpath ON ingest_log (build_id, phase, relpath);");
        sql.WriteLine("PRAGMA journal_mode = WAL; BEGIN;");
        var now = StoreTime.ToText(DateTimeOffset.UtcNow);
        foreach (var r in rows)
        {
            sql.WriteLine(
                $"INSERT INTO ingest_log (build_id, phase, timestamp, file_id, relpath, status, size_raw, size_stored, content_hash) VALUES " +
                $"('{run}', 'parse', '{now}', {r.FileId}, '{r.RelPath}', '{r.Status.ToString().ToLowerInvariant()}', {r.SizeRaw}, {r.SizeStored}, '{r.ContentHash}');");
        }

        sql.WriteLine("COMMIT;");
    }

    /// <summary>Runs a tool to its end and returns the wall time in seconds.</summary>
    private static double Seconds(string tool, params string[] arguments)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(tool, arguments) { UseShellExecute = false, RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? clock.Elapsed.TotalSeconds : throw new InvalidOperationException($"{tool} exited with {process.ExitCode}.");
    }

    private static void Row(string what, string result, string reference, double ratio) =>
        Console.WriteLine($"| {what} | {result} | {reference} | {(ratio > 0 ? $"{ratio:0.00}x" : "-")} |");
}
