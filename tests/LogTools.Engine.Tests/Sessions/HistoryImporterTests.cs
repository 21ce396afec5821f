using System.Text;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Sessions;

[Trait("Category", TestBackend.Category)]
public sealed class HistoryImporterTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly LogStore _store;
    private readonly HistoryImporter _importer;

    public HistoryImporterTests()
    {
        _store = TestBackend.Open(_temp.Combine("store"));
        _importer = new HistoryImporter(_store);
    }

    public void Dispose() => _temp.Dispose();

    /// <summary>A Claude Code assistant entry as Claude Code writes it (type after the message).</summary>
    internal static string Assistant(string messageId, string? requestId, string model, int input, int output, int cacheWrite = 0, int cacheRead = 0, string timestamp = "2025-06-01T10:00:00.000Z") =>
        "{\"parentUuid\":null,\"sessionId\":\"s1\",\"message\":{\"id\":\"" + messageId + "\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + model
        + "\",\"content\":[{\"type\":\"text\",\"text\":\"Done.\"}],\"usage\":{\"input_tokens\":" + input + ",\"cache_creation_input_tokens\":" + cacheWrite
        + ",\"cache_read_input_tokens\":" + cacheRead + ",\"output_tokens\":" + output + ",\"service_tier\":\"standard\"}}"
        + (requestId is null ? "" : ",\"requestId\":\"" + requestId + "\"") + ",\"type\":\"assistant\",\"uuid\":\"u-" + messageId + "\",\"timestamp\":\"" + timestamp + "\"}";

    internal static string User(string text) =>
        "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"content\":\"" + text + "\"}]},\"timestamp\":\"2025-06-01T10:00:00.000Z\"}";

    private string Write(string name, params string[] lines)
    {
        var path = _temp.Combine(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));
        return path;
    }

    private List<HistoryFileImport> Import(IEnumerable<string> files, string machine = "alpha", bool write = true, List<LogToolsException>? errors = null) =>
        Import(files, new TestSink { Answer = (_, _) => write, ThrowErrors = errors is null }, machine, errors);

    private List<HistoryFileImport> Import(IEnumerable<string> files, TestSink sink, string machine = "alpha", List<LogToolsException>? errors = null)
    {
        var results = _importer.Import(files, new HistoryImportOptions { Machine = machine }, sink).ToList();
        errors?.AddRange(sink.Errors);
        return results;
    }

    private List<(string Model, long In, long Out, long CacheRead, long CacheWrite, string Machine, string? Key)> Rows() => _store.Database.Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = "SELECT model, tokens_input, tokens_output, tokens_cache_read, tokens_cache_write, machine, dedup_key FROM api_calls ORDER BY call_id";
        using var r = command.ExecuteReader();
        var rows = new List<(string, long, long, long, long, string, string?)>();
        while (r.Read())
        {
            rows.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));
        }

        return rows;
    });

    private long StateRows() => _store.Database.Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = "SELECT count(*) FROM history_import_files";
        return (long)command.ExecuteScalar()!;
    });

    [Fact]
    public void Claude_logs_import_once_per_message_and_request_across_resumed_conversations_and_count_malformed_lines()
    {
        var first = Write("p/first.jsonl",
            User("hello"),
            Assistant("msg_1", "req_1", "claude-sonnet-4", 10, 20, cacheWrite: 30, cacheRead: 40),
            "{\"type\":\"assistant\",\"message\":{broken",
            Assistant("msg_2", "req_2", "claude-opus-4", 1, 2),
            Assistant("msg_s", "req_s", "<synthetic>", 0, 0));
        // A resumed conversation starts with a copy of the earlier one.
        var second = Write("p/second.jsonl",
            Assistant("msg_1", "req_1", "claude-sonnet-4", 10, 20, cacheWrite: 30, cacheRead: 40),
            Assistant("msg_3", "req_3", "claude-opus-4", 5, 6),
            Assistant("msg_4", "req_4", "claude-opus-4", -5, 6),
            Assistant("msg_5", "req_5", "claude-opus-4", 5, 6, timestamp: "2999-01-01T00:00:00Z"));

        var results = Import([first, second]);

        var a = results[0];
        Assert.Equal((5L, 2L, 2L, 0L, 2L, 1L), (a.Lines, a.Calls, a.Imported, a.Duplicates, a.Skipped, a.Malformed));
        Assert.StartsWith("Line 3 at offset ", a.FirstProblem);
        Assert.Contains("is not a JSON object", a.FirstProblem);
        var b = results[1];
        Assert.Equal((4L, 2L, 1L, 1L, 0L, 2L), (b.Lines, b.Calls, b.Imported, b.Duplicates, b.Skipped, b.Malformed));
        Assert.Contains("usage.input_tokens", b.FirstProblem);
        Assert.Equal(
            [("claude-sonnet-4", 10L, 20L, 40L, 30L, "alpha", "msg_1:req_1"), ("claude-opus-4", 1L, 2L, 0L, 0L, "alpha", "msg_2:req_2"), ("claude-opus-4", 5L, 6L, 0L, 0L, "alpha", "msg_3:req_3")],
            Rows());
    }

    [Fact]
    public void Files_larger_and_smaller_than_a_batch_share_transactions_and_each_result_counts_its_own_calls()
    {
        // small, big (more than one batch, repeating small's first call), small again: handed off mid-file and across files.
        var small = Write("a.jsonl", Assistant("m0", "r0", "claude-opus-4", 1, 2), Assistant("m1", "r1", "claude-opus-4", 1, 2));
        var big = Write("b.jsonl", Enumerable.Range(0, HistoryImporter.BatchSize + 50).Select(i => Assistant("m" + i, "r" + i, "claude-opus-4", i, 1)).ToArray());
        var last = Write("c.jsonl", Assistant("x", "y", "claude-opus-4", 5, 5));

        // Counts as they are when each result is yielded: final by then, since its calls are committed.
        var results = Import([small, big, last], new TestSink { ThrowErrors = true })
            .Select(r => (r.Path, r.Imported, r.Duplicates)).ToList();

        Assert.Equal([(small, 2L, 0L), (big, HistoryImporter.BatchSize + 48L, 2L), (last, 1L, 0L)], results);
        Assert.Equal(HistoryImporter.BatchSize + 51, Rows().Count);
        Assert.Equal(3, StateRows());
        Assert.All(Import([small, big, last]), r => Assert.True(r.Unchanged));
        Assert.Equal(HistoryImporter.BatchSize + 51, Rows().Count);
    }

    [Fact]
    public void Files_written_in_small_batches_while_they_are_read_import_each_call_once_with_exact_aggregates()
    {
        // The writer is idle at the start, so the first MinBatchSize calls go in a transaction of their own, mid-file,
        // and later batches are cut wherever the writer catches up: the second file repeats the first's second half
        // across those cuts, with calls over several quarter hours and models.
        string Call(int i) => Assistant("m" + i, "r" + i, i % 3 == 0 ? "claude-opus-4" : "claude-sonnet-4", i % 97, i % 13 + 1, cacheWrite: i % 7, cacheRead: i % 11,
            timestamp: new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(i * 61).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        var count = 3 * HistoryImporter.MinBatchSize;
        var first = Write("p/first.jsonl", Enumerable.Range(0, count).Select(Call).ToArray());
        var second = Write("p/second.jsonl", Enumerable.Range(count / 2, count).Select(Call).ToArray());

        var results = Import([first, second]).Select(r => (r.Imported, r.Duplicates)).ToList();

        Assert.Equal([((long)count, 0L), ((long)count / 2, (long)count / 2)], results);
        Assert.Equal(count * 3 / 2, Rows().Count);
        Assert.Equal(count * 3 / 2, Rows().Select(r => r.Key).Distinct().Count());
        ApiCallStoreTests.AssertAggregatesMatchRows(_store.Database);
        Assert.All(Import([first, second]), r => Assert.True(r.Unchanged));
        Assert.Equal(count * 3 / 2, Rows().Count);
    }

    /// <remarks>
    /// Each batch updates the aggregates' rows again, and until the old versions are vacuumed a report reads past every
    /// one of them: a cost report over 300,000 calls added a moment before took 21 ms for the total and 23 ms by day,
    /// against 6 and 12 ms after a vacuum, which autovacuum runs only a minute or more later (its own times count too:
    /// a table it is vacuuming is left to it, but it does not reach a new database's tables within this test). SQLite
    /// rewrites rows in place: the PostgreSQL round of the Backend tests (LOGTOOLS_TEST_BACKEND=postgres) is this test's.
    /// </remarks>
    [Fact]
    public void On_PostgreSQL_an_import_ends_by_vacuuming_and_analysing_the_tables_it_wrote()
    {
        if (!TestBackend.IsPostgres)
        {
            return;
        }

        List<string> Tidied() => _store.Database.Read(c =>
        {
            var tables = new List<string>();
            Sql.ForEach(c, null, "SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'main' AND coalesce(last_vacuum, last_autovacuum) IS NOT NULL AND coalesce(last_analyze, last_autoanalyze) IS NOT NULL ORDER BY relname COLLATE \"C\"", [], r => tables.Add(r.GetString(0)));
            return tables;
        });
        var log = Write("p/many.jsonl", Enumerable.Range(0, 3 * HistoryImporter.MinBatchSize).Select(i => Assistant("m" + i, "r" + i, "claude-sonnet-4", 10, 5)).ToArray());
        Assert.Empty(Tidied());

        // A stopped import (Ctrl+C at its first progress report, once the batch it handed off is committed) is not
        // tidied, whatever it wrote before the stop.
        using var stop = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => Import([log], new TestSink
        {
            ThrowErrors = true, CancellationToken = stop.Token, OnProgress = _ =>
            {
                Assert.True(SpinWait.SpinUntil(() => Rows().Count > 0, TimeSpan.FromSeconds(30)));
                stop.Cancel();
            },
        }));
        Assert.NotEmpty(Rows());
        Assert.Empty(Tidied());

        Import([log]);
        Assert.Equal(3 * HistoryImporter.MinBatchSize, Rows().Count);

        Assert.Equal(["api_call_quarters", "api_call_series", "api_calls", "history_import_files"], Tidied());
    }

    [Fact]
    public void Reimporting_unchanged_files_reads_nothing_and_adds_nothing()
    {
        var path = Write("a.jsonl", Assistant("m1", "r1", "claude-opus-4", 1, 2), Assistant("m2", "r2", "claude-opus-4", 3, 4));
        Import([path]);

        var again = Assert.Single(Import([path]));

        Assert.True(again.Unchanged);
        Assert.Equal((0L, 0L, 0L), (again.BytesRead, again.Lines, again.Imported));
        Assert.Equal(2, Rows().Count);
    }

    [Fact]
    public void A_grown_file_is_read_only_from_where_the_last_import_stopped()
    {
        var path = Write("grow.jsonl", Assistant("m1", "r1", "claude-opus-4", 1, 2), User("x"));
        var size = new FileInfo(path).Length;
        Assert.Equal(size, Assert.Single(Import([path])).BytesRead);

        var appended = Assistant("m2", "r2", "claude-opus-4", 3, 4) + "\n" + User("y") + "\n";
        File.AppendAllText(path, appended);
        var second = Assert.Single(Import([path]));

        Assert.False(second.Unchanged);
        Assert.False(second.Restarted);
        Assert.Equal(size, second.StartOffset);
        Assert.Equal(Encoding.UTF8.GetByteCount(appended), second.BytesRead);
        Assert.Equal((2L, 1L, 1L, 0L), (second.Lines, second.Calls, second.Imported, second.Duplicates));
        Assert.Equal(2, Rows().Count);
    }

    [Fact]
    public void A_fingerprint_recorded_before_blake3_still_tells_grown_from_replaced_and_is_then_rewritten()
    {
        // What earlier versions recorded: SHA-256 over the first and last 4 KiB of the imported bytes and their length.
        static string Legacy(string path)
        {
            var bytes = File.ReadAllBytes(path);
            var head = bytes.AsSpan(0, Math.Min(4096, bytes.Length));
            var tail = bytes.AsSpan(head.Length)[Math.Max(0, bytes.Length - head.Length - 4096)..];
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData([.. head, .. tail, .. BitConverter.GetBytes((long)bytes.Length)]));
        }

        void Record(string fingerprint) => _store.Database.Write((c, t) => Sql.Execute(c, t, "UPDATE history_import_files SET fingerprint = $f", ("$f", fingerprint)));

        string Recorded() => _store.Database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT fingerprint FROM history_import_files";
            return (string)command.ExecuteScalar()!;
        });

        var padding = User(new string('p', 9000));
        var path = Write("legacy.jsonl", Assistant("m1", "r1", "claude-opus-4", 1, 2), padding);
        var size = new FileInfo(path).Length;
        Import([path]);
        Record(Legacy(path));

        File.AppendAllText(path, Assistant("m2", "r2", "claude-opus-4", 3, 4) + "\n");
        var grown = Assert.Single(Import([path]));
        Assert.Equal((false, size, 1L), (grown.Restarted, grown.StartOffset, grown.Imported));
        Assert.Matches("^[0-9a-f]{128}$", Recorded());

        Record(Legacy(path));
        Write("legacy.jsonl", Assistant("m3", "r3", "claude-opus-4", 5, 6), padding, Assistant("m4", "r4", "claude-opus-4", 7, 8), User("more"));
        var replaced = Assert.Single(Import([path]));
        Assert.Equal((true, 0L, 2L), (replaced.Restarted, replaced.StartOffset, replaced.Imported));
        Assert.Equal(["m1:r1", "m2:r2", "m3:r3", "m4:r4"], Rows().Select(r => r.Key));
    }

    [Fact]
    public void A_torn_last_line_is_left_for_the_next_import_and_read_once_complete()
    {
        var line = Assistant("m2", "r2", "claude-opus-4", 3, 4);
        var path = Write("torn.jsonl", Assistant("m1", "r1", "claude-opus-4", 1, 2));
        var complete = new FileInfo(path).Length;
        File.AppendAllText(path, line[..40]);

        var first = Assert.Single(Import([path]));
        Assert.True(first.TornTail);
        Assert.Equal((complete, 1L, 0L), (first.BytesRead, first.Imported, first.Malformed));

        File.AppendAllText(path, line[40..] + "\n");
        var second = Assert.Single(Import([path]));

        Assert.False(second.TornTail);
        Assert.Equal((complete, 1L, 1L), (second.StartOffset, second.Lines, second.Imported));
        Assert.Equal(2, Rows().Count);
    }

    [Fact]
    public void A_replaced_or_truncated_file_is_read_again_from_the_start_without_duplicating()
    {
        var path = Write("replaced.jsonl", Assistant("m1", "r1", "claude-opus-4", 1, 2), Assistant("m2", "r2", "claude-opus-4", 3, 4), User("padding padding"));
        Import([path]);

        // Same length or longer but different content: replaced.
        Write("replaced.jsonl", Assistant("m1", "r1", "claude-opus-4", 1, 2), Assistant("m3", "r3", "claude-opus-4", 5, 6), User("padding padding"), User("more"));
        var replaced = Assert.Single(Import([path]));
        Assert.True(replaced.Restarted);
        Assert.Equal((0L, 2L, 1L, 1L), (replaced.StartOffset, replaced.Calls, replaced.Imported, replaced.Duplicates));

        // Shorter than what was imported: truncated.
        Write("replaced.jsonl", Assistant("m4", "r4", "claude-opus-4", 7, 8));
        var truncated = Assert.Single(Import([path]));
        Assert.True(truncated.Restarted);
        Assert.Equal((0L, 1L), (truncated.StartOffset, truncated.Imported));
        Assert.Equal(["m1:r1", "m2:r2", "m3:r3", "m4:r4"], Rows().Select(r => r.Key));
    }

    [Fact]
    public void Logs_copied_from_two_machines_import_once_whichever_machine_imports_them()
    {
        var lines = new[] { Assistant("m1", "r1", "claude-opus-4", 1, 2), Assistant("m2", "r2", "claude-opus-4", 3, 4) };
        var fromAlpha = Write("alpha/x.jsonl", [.. lines, Assistant("m3", "r3", "claude-haiku-4", 5, 6)]);
        var fromBeta = Write("beta/x.jsonl", [.. lines, Assistant("m4", "r4", "claude-haiku-4", 7, 8)]);

        Assert.Equal(3, Assert.Single(Import([fromAlpha], machine: "alpha")).Imported);
        var beta = Assert.Single(Import([fromBeta], machine: "beta"));

        Assert.Equal((1L, 2L), (beta.Imported, beta.Duplicates));
        Assert.Equal(["alpha", "alpha", "alpha", "beta"], Rows().Select(r => r.Machine));
        // State is per machine: the same path imported for another machine is not "unchanged".
        Assert.False(Assert.Single(Import([fromAlpha], machine: "beta")).Unchanged);
        Assert.Equal(4, Rows().Count);
    }

    [Fact]
    public void WhatIf_reads_and_counts_but_writes_no_calls_and_no_state()
    {
        var path = Write("w.jsonl", Assistant("m1", "r1", "claude-opus-4", 1, 2), "not json");

        var dry = Assert.Single(Import([path], write: false));

        Assert.True(dry.WhatIf);
        Assert.Equal((2L, 1L, 0L, 1L), (dry.Lines, dry.Calls, dry.Imported, dry.Malformed));
        Assert.Empty(Rows());
        Assert.Equal(0, StateRows());
        Assert.Equal(1, Assert.Single(Import([path])).Imported);
    }

    [Fact]
    public void Worker_logs_are_detected_per_line_beside_Claude_entries()
    {
        var path = Write("worker.jsonl",
            "{\"type\":\"api_call\",\"timestamp\":\"2025-06-02T08:00:00.123Z\",\"model\":\"claude-sonnet-4\",\"usage\":{\"input_tokens\":7,\"output_tokens\":8,\"cache_read_input_tokens\":9,\"cache_creation_input_tokens\":10},"
                + "\"request_id\":\"req_w\",\"message_id\":\"msg_w\",\"worker_id\":\"w-1\",\"session_id\":\"sess-1\",\"cost_usd\":0.25,\"duration_ms\":1500,\"success\":false}",
            "{\"type\":\"api_call\",\"timestamp\":\"2025-06-02T08:00:01Z\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}",
            Assistant("m1", "r1", "claude-opus-4", 1, 2));

        var result = Assert.Single(Import([path]));

        Assert.Equal((3L, 2L, 2L, 1L), (result.Lines, result.Calls, result.Imported, result.Malformed));
        Assert.Contains("without a model", result.FirstProblem);
        var row = _store.Database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT timestamp, worker_id, session_id, estimated_cost_usd, duration_ms, success, dedup_key, tokens_cache_read, tokens_cache_write, source FROM api_calls WHERE worker_id IS NOT NULL";
            using var r = command.ExecuteReader();
            Assert.True(r.Read());
            return (r.GetString(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetInt64(4), r.GetInt64(5), r.GetString(6), r.GetInt64(7), r.GetInt64(8), r.GetString(9));
        });
        Assert.Equal(("2025-06-02T08:00:00.123Z", "w-1", "sess-1", 0.25, 1500L, 0L, "msg_w:req_w", 9L, 10L, path), row);
    }

    [Fact]
    public void Files_parsed_on_several_threads_are_taken_in_in_order_as_one_thread_takes_them()
    {
        // Calls repeated across files (which copy is kept depends on the order of the writes), a file of several
        // parts (by bytes in its padded first third, by calls after it), a malformed line, a torn tail, and files
        // small enough to share a batch.
        var padding = User(new string('x', 4_000));
        var files = new List<string>();
        for (var f = 0; f < 14; f++)
        {
            var lines = new List<string>();
            var calls = f == 3 ? 2_600 : 40 + (f * 7);
            for (var c = 0; c < calls; c++)
            {
                var id = (f * 1_000) + c - (c % 3 == 0 && f > 0 ? 1_000 : 0);
                lines.Add(Assistant($"m{id}", $"r{id}", f % 2 == 0 ? "claude-opus-4" : "claude-sonnet-4", f + 1, c + 1));
                if (f == 3 && c < 800 && c % 2 == 0)
                {
                    lines.Add(padding);
                }
            }

            if (f == 5)
            {
                lines.Insert(10, "not json");
            }

            files.Add(Write($"p{f % 3}/f{f:00}.jsonl", [.. lines]));
        }

        // Many one-call files: each is started, taken in and let go while the workers race through the next ones.
        files.AddRange(Enumerable.Range(0, 300).Select(t => Write($"tiny/t{t:000}.jsonl", Assistant($"t{t % 250}", $"t{t % 250}", "claude-opus-4", 1, 1))));
        File.AppendAllText(files[9], "{\"type\":\"assistant\"");
        Assert.True(new FileInfo(files[3]).Length > 2 * HistoryParseAhead.PartBytes);

        List<HistoryFileImport> ImportWith(LogStore store, int parsers) =>
            [.. new HistoryImporter(store).Import(files, new HistoryImportOptions { Machine = "alpha", Parsers = parsers }, new TestSink { ThrowErrors = false })];

        List<string> Stored(LogStore store, string sql) => store.Database.Read(c =>
        {
            var rows = new List<string>();
            Sql.ForEach(c, null, sql, [], r => rows.Add(string.Join(' ', Enumerable.Range(0, r.FieldCount).Select(r.GetValue))));
            return rows;
        });
        const string Calls = "SELECT call_id, dedup_key, model, tokens_input, tokens_output, source FROM api_calls ORDER BY call_id";
        const string States = "SELECT path, size, end_offset, fingerprint FROM history_import_files ORDER BY path";

        static string Result(HistoryFileImport r) =>
            $"{r.Path} {r.BytesRead} {r.Lines} {r.Calls} {r.Imported} {r.Duplicates} {r.Skipped} {r.Malformed} {r.TornTail} {r.FirstProblem}";

        var one = ImportWith(_store, 1);
        var several = TestBackend.Open(_temp.Combine("several"));
        var four = ImportWith(several, 4);

        Assert.Equal(files, one.Select(r => r.Path));
        Assert.Equal(one.Select(Result), four.Select(Result));
        Assert.Equal(Stored(_store, Calls), Stored(several, Calls));
        Assert.Equal(Stored(_store, States), Stored(several, States));
        Assert.All(four, r => Assert.Equal(r.Calls, r.Imported + r.Duplicates));
        Assert.True(four.Sum(r => r.Duplicates) > 0);
        Assert.Equal(four.Sum(r => r.Imported), Stored(several, Calls).Count);
        Assert.Equivalent(files.Select(f => $"{f} {new FileInfo(f).Length}"), Stored(several, States).Select(s => string.Join(' ', s.Split(' ')[..2])), strict: true);
        Assert.Equal((1, true), (one[5].Malformed, one[9].TornTail));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void A_stop_in_the_middle_keeps_whole_batches_and_the_next_import_adds_each_call_once(int fileCount)
    {
        var total = fileCount * 3 * HistoryImporter.MinBatchSize;
        var files = Enumerable.Range(0, fileCount).Select(f => Write($"s/f{f}.jsonl", [.. Enumerable.Range(0, total / fileCount)
            .Select(i => Assistant($"m{f}-{i}", $"r{f}-{i}", "claude-sonnet-4", 10, 5))])).ToList();

        // Ctrl+C at the first progress report, once the batch handed off before it is committed: the files' other
        // parts are parsed ahead by then, and the stop must still end the import as stopped.
        using var stop = new CancellationTokenSource();
        var yielded = new List<HistoryFileImport>();
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            var sink = new TestSink
            {
                ThrowErrors = true, CancellationToken = stop.Token, OnProgress = _ =>
                {
                    Assert.True(SpinWait.SpinUntil(() => Rows().Count > 0, TimeSpan.FromSeconds(30)));
                    stop.Cancel();
                },
            };
            yielded.AddRange(_importer.Import(files, new HistoryImportOptions { Machine = "alpha", Parsers = 2 }, sink));
        });
        var written = Rows().Count;
        Assert.InRange(written, HistoryImporter.MinBatchSize, total - 1);
        Assert.Empty(yielded);

        // Each file's saved offset covers exactly what was written: the rest is added, nothing twice.
        var after = Import(files);
        Assert.Equal(total, Rows().Count);
        Assert.Equal((total - written, 0L), (after.Sum(r => r.Imported), after.Sum(r => r.Duplicates)));
    }

    [Fact]
    public void A_stop_after_the_last_line_still_ends_the_import_as_stopped_and_reports_no_file_it_did_not_write()
    {
        var path = Write("last.jsonl", [.. Enumerable.Range(0, 3 * HistoryImporter.MinBatchSize).Select(i => Assistant($"m{i}", $"r{i}", "claude-sonnet-4", 10, 5)), User("bye")]);

        // Ctrl+C as the last part is taken in: no line is left to stop at, and the batch with the file's end is dropped.
        using var stop = new CancellationTokenSource();
        var yielded = new List<HistoryFileImport>();
        Assert.ThrowsAny<OperationCanceledException>(() => yielded.AddRange(_importer.Import([path], new HistoryImportOptions { Machine = "alpha" }, new TestSink
        {
            ThrowErrors = true, CancellationToken = stop.Token, OnProgress = p =>
            {
                if (p.Done == p.Total)
                {
                    stop.Cancel();
                }
            },
        })));
        Assert.Empty(yielded);

        // What was committed before the stop is covered by the file's saved offset: the rest is added, nothing twice.
        var written = Rows().Count;
        var after = Assert.Single(Import([path]));
        Assert.Equal((3L * HistoryImporter.MinBatchSize, 0L), (written + after.Imported, after.Duplicates));
    }

    [Fact]
    public void An_unreadable_file_is_reported_and_the_others_are_imported()
    {
        var a = Write("a.jsonl", Assistant("m1", "r1", "claude-opus-4", 1, 2));
        var gone = Write("b.jsonl", Assistant("m2", "r2", "claude-opus-4", 1, 2));
        var c = Write("c.jsonl", Assistant("m3", "r3", "claude-opus-4", 1, 2));
        var errors = new List<LogToolsException>();

        // Deleted once every file is planned (the list is read lazily), before any is read.
        IEnumerable<string> Files()
        {
            yield return a;
            yield return gone;
            yield return c;
            File.Delete(gone);
        }

        var results = Import(Files(), errors: errors);

        Assert.Equal([a, c], results.Select(r => r.Path));
        var error = Assert.Single(errors);
        Assert.Equal(("HistoryFileUnreadable", ErrorKind.ReadError, (object?)gone), (error.ErrorId, error.Kind, error.Target));
        Assert.Equal(2, Rows().Count);
    }

    [Fact]
    public void A_gzip_log_is_imported_and_skipped_when_unchanged()
    {
        var path = _temp.Combine("old.jsonl.gz");
        using (var gz = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
        {
            gz.Write(Encoding.UTF8.GetBytes(Assistant("m1", "r1", "claude-opus-4", 1, 2) + "\n"));
        }

        Assert.Equal(1, Assert.Single(Import(HistoryImporter.FilesIn(_temp.Path))).Imported);
        Assert.True(Assert.Single(Import([path])).Unchanged);
    }

    private static byte[] Gzip(IEnumerable<string> lines)
    {
        using var buffer = new MemoryStream();
        using (var gz = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gz.Write(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
        }

        return buffer.ToArray();
    }

    private long? RecordedSize(string path) => _store.Database.Read(c =>
    {
        long? size = -1;
        Sql.ForEach(c, null, "SELECT size FROM history_import_files WHERE path = $path", [("$path", path)], r => size = Sql.Integer(r, 0));
        return size;
    });

    [Theory]
    [InlineData("garbage after the header")]
    [InlineData("a checksum byte flipped")]
    [InlineData("cut in the middle")]
    public void A_damaged_gzip_log_is_an_error_naming_it_the_other_files_are_imported_and_the_next_import_reports_it_again(string damage)
    {
        var a = Write("d/a.jsonl", Assistant("m1", "r1", "claude-opus-4", 1, 2));
        var c = Write("d/c.jsonl", Assistant("m3", "r3", "claude-opus-4", 1, 2));
        var gz = Gzip(Enumerable.Range(0, 200).Select(i => Assistant($"b{i}", $"b{i}", "claude-opus-4", 1, 2)));
        var b = _temp.Combine("d/b.jsonl.gz");
        File.WriteAllBytes(b, damage switch
        {
            "garbage after the header" => [.. gz[..10], .. Enumerable.Range(0, 300).Select(i => (byte)new Random(i).Next(256))],
            "a checksum byte flipped" => [.. gz[..^8], (byte)(gz[^8] ^ 0x01), .. gz[^7..]],
            _ => gz[..(gz.Length / 2)],
        });

        var errors = new List<LogToolsException>();
        var results = Import(HistoryImporter.FilesIn(_temp.Combine("d")), errors: errors);

        Assert.Equal([a, c], results.Select(r => r.Path));
        var error = Assert.Single(errors);
        Assert.Equal(("HistoryFileUnreadable", ErrorKind.InvalidData, (object?)b), (error.ErrorId, error.Kind, error.Target));
        Assert.StartsWith($"The gzip log '{b}' ", error.Message);
        Assert.DoesNotContain("compression method", error.Message);
        Assert.Equal(["m1:r1", "m3:r3"], Rows().Select(r => r.Key));
        Assert.Equal(-1, RecordedSize(b));

        errors.Clear();
        var again = Import(HistoryImporter.FilesIn(_temp.Combine("d")), errors: errors);
        Assert.Equal([(a, true), (c, true)], again.Select(r => (r.Path, r.Unchanged)));
        Assert.Equal(("HistoryFileUnreadable", (object?)b), (Assert.Single(errors).ErrorId, errors[0].Target));
    }

    [Fact]
    public void A_gzip_log_damaged_after_a_batch_was_written_is_no_whole_file_and_an_intact_copy_adds_the_rest_once()
    {
        var count = 3 * HistoryImporter.MinBatchSize;
        var gz = Gzip(Enumerable.Range(0, count).Select(i => Assistant($"m{i}", $"r{i}", "claude-opus-4", 1, 2)));
        var path = _temp.Combine("big.jsonl.gz");
        File.WriteAllBytes(path, [.. gz[..^8], (byte)(gz[^8] ^ 0x01), .. gz[^7..]]);
        var errors = new List<LogToolsException>();

        Assert.Empty(Import([path], errors: errors));

        Assert.Equal("HistoryFileUnreadable", Assert.Single(errors).ErrorId);
        // What was written before the damage was found is recorded part-way (no size), so the file is read again.
        Assert.InRange(Rows().Count, 0, count - 1);
        Assert.True(RecordedSize(path) is null or -1);

        File.WriteAllBytes(path, gz);
        var intact = Assert.Single(Import([path]));
        Assert.Equal(((long)count, (long)count), (intact.Calls, intact.Imported + intact.Duplicates));
        Assert.Equal(count, Rows().Select(r => r.Key).Distinct().Count());
        Assert.Equal(count, Rows().Count);
    }

    [Fact]
    public void A_byte_order_mark_is_skipped_at_the_start_of_a_log_only_and_a_resumed_import_starts_after_what_was_read()
    {
        var bom = Encoding.UTF8.GetPreamble();
        var path = _temp.Combine("bom.jsonl");
        File.WriteAllBytes(path, [.. bom, .. Encoding.UTF8.GetBytes(Assistant("m1", "r1", "claude-opus-4", 1, 2) + "\n" + User("x") + "\n")]);
        var blank = _temp.Combine("bom-blank.jsonl");
        File.WriteAllBytes(blank, [.. bom, .. Encoding.UTF8.GetBytes("\n" + Assistant("m2", "r2", "claude-opus-4", 1, 2) + "\n")]);
        var gz = _temp.Combine("bom.jsonl.gz");
        File.WriteAllBytes(gz, Gzip(["\uFEFF" + Assistant("m3", "r3", "claude-opus-4", 1, 2)]));

        var first = Import([path, blank, gz]);

        Assert.Equal(
            [(2L, 1L, 0L, new FileInfo(path).Length), (1L, 1L, 0L, new FileInfo(blank).Length), (1L, 1L, 0L, 3L + Encoding.UTF8.GetByteCount(Assistant("m3", "r3", "claude-opus-4", 1, 2)) + 1)],
            first.Select(r => (r.Lines, r.Imported, r.Malformed, r.BytesRead)));

        // Appended: read from the offset after the first import's bytes, BOM included; a BOM there is no BOM but a bad line.
        var size = new FileInfo(path).Length;
        File.AppendAllText(path, Assistant("m4", "r4", "claude-opus-4", 1, 2) + "\n");
        File.AppendAllText(path, "\uFEFF" + Assistant("m5", "r5", "claude-opus-4", 1, 2) + "\n");
        var resumed = Assert.Single(Import([path]));

        Assert.Equal((size, 2L, 1L, 1L), (resumed.StartOffset, resumed.Lines, resumed.Imported, resumed.Malformed));
        Assert.StartsWith("Line 2 at offset ", resumed.FirstProblem);
        Assert.Equal(["m1:r1", "m2:r2", "m3:r3", "m4:r4"], Rows().Select(r => r.Key));
    }

    [Fact]
    public async Task Fifos_sockets_and_devices_are_errors_naming_them_without_being_opened_and_the_other_files_are_imported()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var a = Write("special/a.jsonl", Assistant("m1", "r1", "claude-opus-4", 1, 2));
        var fifo = _temp.Combine("special/b-fifo.jsonl");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var socketPath = _temp.Combine("special/c-socket.jsonl");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
        var device = _temp.Combine("special/d-device.jsonl");
        File.CreateSymbolicLink(device, "/dev/null");
        var e = Write("special/e.jsonl", Assistant("m2", "r2", "claude-opus-4", 1, 2));
        var errors = new List<LogToolsException>();

        var import = Task.Run(() => Import(HistoryImporter.FilesIn(_temp.Combine("special")), errors: errors));
        if (await Task.WhenAny(import, Task.Delay(TimeSpan.FromSeconds(30))) != import)
        {
            // The import opened the FIFO and waits for a writer: be one, so that it ends and the test fails instead of hanging.
            File.OpenWrite(fifo).Dispose();
            await Task.WhenAny(import, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.Fail("The import waited on the FIFO.");
        }

        Assert.Equal([a, e], (await import).Select(r => r.Path));
        Assert.All(errors, x => Assert.Equal(("HistoryFileNotRegular", ErrorKind.ReadError), (x.ErrorId, x.Kind)));
        Assert.Equal([fifo, socketPath, device], errors.Select(x => x.Target));
        Assert.Equal(
            [$"'{fifo}' is a FIFO (named pipe)", $"'{socketPath}' is a socket", $"'{device}' is a character device"],
            errors.Select(x => x.Message.Split(", not a regular file")[0]));
        Assert.Equal(["m1:r1", "m2:r2"], Rows().Select(r => r.Key));
    }

    [Fact]
    public void Default_folders_follow_CLAUDE_CONFIG_DIR_and_a_missing_one_is_an_error()
    {
        var config = _temp.Combine("cfg");
        Directory.CreateDirectory(Path.Combine(config, "projects"));

        Assert.Equal([Path.Combine(config, "projects")], HistoryImporter.DefaultFolders(config + ", " + _temp.Combine("none"), "/nowhere"));
        var error = Assert.Throws<LogToolsException>(() => HistoryImporter.DefaultFolders(null, _temp.Combine("home")));
        Assert.Equal("HistoryPathNotFound", error.ErrorId);
        Assert.Contains(Path.Combine(_temp.Combine("home"), ".claude", "projects"), error.Message);
    }
}
