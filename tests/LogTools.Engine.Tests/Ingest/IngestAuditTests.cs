using System.Buffers.Binary;
using System.Text;
using LogTools.Engine.Hashing;
using LogTools.Engine.Ingest;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;
using LogTools.Tests.Support;
using Microsoft.Data.Sqlite;

namespace LogTools.Engine.Tests.Ingest;

public sealed class IngestAuditTests : IDisposable
{
    private readonly TempFolder temp = new();
    private readonly LogStore store;
    private readonly IngestLedger ledger;
    private readonly IngestAudit audit;

    public IngestAuditTests()
    {
        store = TestBackend.Open(temp.Combine("store"));
        ledger = new IngestLedger(store);
        audit = new IngestAudit(store);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Blocks_cut_records_in_log_order_and_their_roots_are_RFC9162_trees_over_the_leaf_bytes()
    {
        var run = Run();
        ledger.Write(run, "parse", [.. Enumerable.Range(0, 1203).Select(i => Record($"f{i:D5}.json", i % 10 == 0 ? IngestStatus.Error : IngestStatus.Processed, i))]);
        Complete(run);

        var phase = Assert.Single(audit.Build(run, 500, force: false));
        var blocks = Blocks(run);
        var records = Records(run);

        Assert.Equal([500L, 500L, 203L], blocks.Select(b => b.FilesCount));
        Assert.Equal(3, phase.BlockCount);
        for (var i = 0; i < 3; i++)
        {
            var part = records.Skip(i * 500).Take(500).ToList();
            var expected = MerkleTree.Root(part.Select(r => MerkleTree.LeafHash(IngestLeaf.Bytes(r), MerkleHash.Blake3)), MerkleHash.Blake3);
            Assert.Equal(Convert.ToHexString(expected).ToLowerInvariant(), blocks[i].MerkleHash);
            Assert.Equal(part.Count(r => r.Status == IngestStatus.Error), blocks[i].FilesError);
            Assert.Equal(part.Sum(r => r.SizeRaw), blocks[i].BytesRaw);
            Assert.Equal((part[0].LogId, part[^1].LogId), (blocks[i].LogIdStart, blocks[i].LogIdEnd));
        }

        var root = MerkleTree.Root(blocks.Select(b => MerkleTree.LeafHash(Convert.FromHexString(b.MerkleHash), MerkleHash.Blake3)), MerkleHash.Blake3);
        Assert.Equal(Convert.ToHexString(root).ToLowerInvariant(), phase.MerkleRoot);
        Assert.All(Verify(run), c => Assert.Equal(IngestCheckStatus.Ok, c.Status));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Building_twice_changes_nothing_and_a_running_run_needs_Force()
    {
        var run = Run();
        ledger.Write(run, "parse", [Record("a", IngestStatus.Processed, 1)]);
        var refused = Assert.Throws<LogToolsException>(() => audit.Build(run, 500, force: false));
        Assert.Equal("IngestRunInProgress", refused.ErrorId);
        Assert.Empty(Blocks(run));

        Complete(run); // the completion hook builds the blocks
        var first = ledger.Phase(run, "parse");
        Assert.NotNull(first.MerkleRoot);
        var again = Assert.Single(audit.Build(run, null, force: false));
        Assert.Equal(first.BuiltAt, again.BuiltAt);
        Assert.Equal(first.MerkleRoot, again.MerkleRoot);

        Assert.Equal("IngestBlocksDiffer", Assert.Throws<LogToolsException>(() => audit.Build(run, 7, force: false)).ErrorId);
        Assert.Equal("IngestBlockSizeInvalid", Assert.Throws<LogToolsException>(() => audit.Build(run, 0, force: true)).ErrorId);
        Assert.Equal(first.MerkleRoot, ledger.Phase(run, "parse").MerkleRoot);
    }

    [Theory]
    [Trait("Category", TestBackend.Category)]
    [InlineData("UPDATE ingest_log SET status = 'skipped' WHERE log_id = (SELECT min(log_id) + 3 FROM ingest_log)", "merkle_hash")]
    [InlineData("UPDATE ingest_log SET size_raw = size_raw + 1 WHERE log_id = (SELECT min(log_id) + 3 FROM ingest_log)", "bytes_raw")]
    [InlineData("DELETE FROM ingest_log WHERE log_id = (SELECT min(log_id) + 3 FROM ingest_log)", "files_count")]
    public void A_changed_or_deleted_row_makes_its_block_a_mismatch(string tamper, string field)
    {
        var run = Built(10, blockSize: 4);
        Sql(tamper);

        var checks = Verify(run);
        var bad = Assert.Single(checks, c => c.Status != IngestCheckStatus.Ok);
        Assert.Equal((IngestCheckStatus.Mismatch, 0), (bad.Status, bad.BlockNumber));
        Assert.Contains(field, bad.Fields);
        Assert.Contains("merkle_hash", bad.Fields);
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Inserted_rows_are_found_inside_a_block_and_after_the_last()
    {
        var run = Built(10, blockSize: 4);
        Sql("DELETE FROM ingest_log WHERE log_id = (SELECT min(log_id) + 5 FROM ingest_log)");
        Sql($"INSERT INTO ingest_log (log_id, build_id, phase, timestamp, relpath, status) SELECT min(log_id) + 5, '{run}', 'parse', '2026-01-01T00:00:00.000Z', 'forged', 'processed' FROM ingest_log");
        Sql($"INSERT INTO ingest_log (build_id, phase, timestamp, relpath, status) VALUES ('{run}', 'parse', '2026-01-01T00:00:00.000Z', 'late', 'processed')");

        var checks = Verify(run);
        Assert.Contains(checks, c => c is { Status: IngestCheckStatus.Mismatch, BlockNumber: 1 } && c.Fields.Contains("merkle_hash"));
        Assert.Contains(checks, c => c.Status == IngestCheckStatus.Unblocked && c.Message.StartsWith("1 record", StringComparison.Ordinal));
        Assert.Contains(checks, c => c is { Status: IngestCheckStatus.Ok, BlockNumber: 0 });
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void A_deleted_block_row_breaks_the_phase_root()
    {
        var run = Built(10, blockSize: 4);
        Sql("DELETE FROM ingest_blocks WHERE block_number = 2");
        var checks = Verify(run);
        var root = Assert.Single(checks, c => c.BlockNumber is null && c.Status != IngestCheckStatus.Unblocked);
        Assert.Equal(IngestCheckStatus.Mismatch, root.Status);
        Assert.Equal(["block_count", "merkle_root"], root.Fields);
        Assert.Contains(checks, c => c.Status == IngestCheckStatus.Unblocked && c.Message.StartsWith("2 record", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Every_record_of_an_unbalanced_phase_has_a_proof_that_verifies_and_any_changed_field_fails_it()
    {
        var run = Built(13, blockSize: 5);
        foreach (var record in Records(run))
        {
            var proof = Assert.Single(audit.Proofs(run, record.RelPath, null));
            Assert.True(IngestProofs.Verify(proof, ledger.Phase(run, "parse").MerkleRoot).Valid);
        }

        var one = Assert.Single(audit.Proofs(run, "f00007.json", "parse"));
        Assert.False(IngestProofs.Verify(Copy(one, status: "error"), null).Valid);
        Assert.False(IngestProofs.Verify(Copy(one, size: 1), null).Valid);
        Assert.False(IngestProofs.Verify(Copy(one, index: one.LeafIndex + 1), null).Valid);
        Assert.False(IngestProofs.Verify(one, new string('0', 64)).Valid);
        var json = System.Text.Json.JsonSerializer.Serialize(one);
        Assert.True(IngestProofs.Verify(IngestProofs.FromJson(json, "proof.json"), null).Valid);
        Assert.Equal("IngestProofInvalid", Assert.Throws<LogToolsException>(() => IngestProofs.FromJson("[1,", "x")).ErrorId);
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Block_and_phase_roots_of_known_records_stay_the_same_from_release_to_release()
    {
        // Roots already stored and proofs already handed out must verify with every later build: these are the
        // values the first release computed, over fields of every kind (missing, empty, non-ASCII, negative).
        var run = Run();
        var at = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);
        ledger.Write(run, "parse", [
            new IngestRecord { RelPath = "mods/ä/ü.json", Timestamp = at, SizeRaw = 1234, SizeStored = 567, ContentHash = new string('a', 64), FileId = 7, ContentVersionId = 9 },
            new IngestRecord { RelPath = "b", Timestamp = at.AddMilliseconds(1), Status = IngestStatus.Skipped },
            new IngestRecord { RelPath = "c d", Timestamp = at.AddDays(-1), Status = IngestStatus.Error, SizeRaw = -1, ErrorType = "Parse", ErrorMessage = "bad → 'x'" },
            new IngestRecord { RelPath = "e", Timestamp = at.AddYears(1), SizeRaw = 0, ContentHash = string.Empty, ErrorType = string.Empty },
            new IngestRecord { RelPath = "f", Timestamp = at, FileId = long.MaxValue, ContentVersionId = long.MinValue },
        ]);
        Sql($"UPDATE runs SET run_id = 'run-pinned' WHERE run_id = '{run}'; UPDATE ingest_log SET build_id = 'run-pinned';");

        var phase = Assert.Single(audit.Build("run-pinned", 2, force: true));

        Assert.Equal([
            "abbc451f85374d4c8882209a757193a3f7e59fca9f1b3a85b362d3148a173b72",
            "64f7e8dc5dee43f4ffd0fb19e86f7e20dfd96abd1c4f4366573021a70ca419f9",
            "e1a1abca8d8f56ed4b71ee06851ce2aeb830d5190f20002c97bc9f19a8733246",
        ], Blocks("run-pinned").Select(b => b.MerkleHash));
        Assert.Equal("561ab569eb40b93a3b26cc757da88d3f38c570ccca3b48e59d90d11232630e4d", phase.MerkleRoot);
        Assert.Equal("63ebb66106aeef326503ca3b7c9e1c87ed13cd6288bbad56349e1fe957ddd320", IngestBlockSum.Hex(IngestBlockSum.LeafHash(Records("run-pinned")[2])));
        Assert.All(Verify("run-pinned"), c => Assert.Equal(IngestCheckStatus.Ok, c.Status));
    }

    [Fact]
    public void Delta_logging_finds_the_logged_relpaths_in_an_index_alone()
    {
        // Reading a table row for each of a million logged relpaths made a delta cost the table, not the delta.
        var plan = store.Database.Read(connection =>
        {
            var steps = new List<string>();
            LogTools.Engine.Store.Sql.ForEach(connection, null, "EXPLAIN QUERY PLAN SELECT relpath FROM ingest_log WHERE build_id = 'r' AND phase = 'p'", [], r => steps.Add(r.GetString(3)));
            return steps;
        });

        Assert.Contains(plan, step => step.Contains("USING COVERING INDEX", StringComparison.Ordinal));
    }

    [Fact]
    public void A_runs_records_are_read_in_log_id_order_from_an_index_without_a_sort()
    {
        // Build-IngestBlock, Test-IngestBlock, Get-IngestProof, Get-IngestLog -RunId and Get-IngestError read a run's records
        // in log_id order. The (build_id) index holds a run's entries in rowid order, so no read sorts a run's records, and a
        // block's records are a rowid range. Without that index (the (build_id, phase, relpath) index covers build_id as a
        // prefix), SQLite sorts a million records in a temporary B-tree and reads the table in relpath order: 13x the
        // time for the benchmark's phase, and a proof reads its whole phase instead of its block.
        (string Name, string Sql, (string, object?)[] Parameters)[] reads = [
            ("Build/Test-IngestBlock", IngestLedger.RowsSql, [("$b", "r"), ("$p", "p")]),
            ("a block's records", IngestLedger.RecordsSql, [("$b", "r"), ("$p", "p"), ("$from", 1L), ("$to", 500L)]),
            .. new[] { IngestLedger.FindFilter("r", null, null, null), IngestLedger.FindFilter("r", "p", null, null), IngestLedger.FindFilter("r", "p", IngestStatus.Error, null) }
                .Select(f => ("Get-IngestLog/Get-IngestError " + f.Where, IngestLedger.FindSql(f), f.Parameters.ToArray())),
        ];

        var plans = reads.ToDictionary(r => r.Name, r => string.Join(" | ", store.Database.Read(connection =>
        {
            var steps = new List<string>();
            LogTools.Engine.Store.Sql.ForEach(connection, null, "EXPLAIN QUERY PLAN " + r.Sql, r.Parameters, row => steps.Add(row.GetString(3)));
            return steps;
        })));

        // One step each: a search of the (build_id) index, no temporary B-tree for the ORDER BY.
        var sorted = plans.Where(p => !p.Value.StartsWith("SEARCH ingest_log USING INDEX ingest_log_build (build_id=?", StringComparison.Ordinal) || p.Value.Contains('|', StringComparison.Ordinal)).ToList();
        Assert.True(sorted.Count == 0, string.Join("\n", sorted.Select(p => $"{p.Key}: {p.Value}")));
        Assert.Contains("rowid>? AND rowid<?", plans["a block's records"], StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Leaf_bytes_are_length_prefixed_fields_in_the_documented_order()
    {
        var bytes = IngestLeaf.Bytes(new IngestRecord
        {
            RunId = "r", Phase = "p", Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.Zero), RelPath = "a/b", SizeRaw = 12,
        });
        var fields = new List<string?>();
        for (var at = 0; at < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(at));
            at += 4;
            fields.Add(length == uint.MaxValue ? null : Encoding.UTF8.GetString(bytes, at, (int)length));
            at += length == uint.MaxValue ? 0 : (int)length;
        }

        Assert.Equal(["logtools.ingest.v1", "r", "p", "2026-01-02T03:04:05.006Z", "a/b", "processed", "12", null, null, null, null, null, null], fields);
        Assert.NotEqual(bytes, IngestLeaf.Bytes(new IngestRecord { RunId = "r", Phase = "p", Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 6, TimeSpan.Zero), RelPath = "a/b", SizeRaw = 12, ErrorType = string.Empty }));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Delta_logging_reads_the_pipeline_database_and_logs_only_rows_not_yet_logged()
    {
        var run = Run();
        var db = temp.Combine("app.db");
        Pipeline(db, "CREATE TABLE files (id INTEGER, path TEXT, ast TEXT, bytes INTEGER); PRAGMA journal_mode = WAL;");
        Pipeline(db, string.Concat(Enumerable.Range(0, 10).Select(i => $"INSERT INTO files VALUES ({i}, 'src/{i}.c', {(i < 6 ? "'x'" : "NULL")}, {i * 10});")));
        const string Query = "SELECT id AS file_id, path AS relpath, bytes AS size_raw FROM files WHERE ast IS NOT NULL";

        Assert.Equal(6, ledger.WriteDelta(run, "ast", db, Query));
        Assert.Equal(0, ledger.WriteDelta(run, "ast", db, Query));
        Pipeline(db, "UPDATE files SET ast = 'y' WHERE id >= 6;");
        Assert.Equal(4, ledger.WriteDelta(run, "ast", db, Query));
        Assert.Equal(10, ledger.WriteDelta(run, "other", db, Query));

        var logged = Records(run).Where(r => r.Phase == "ast").ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"src/{i}.c"), logged.Select(r => r.RelPath));
        Assert.Equal(90, logged[9].SizeRaw);
        Assert.Equal(9, logged[9].FileId);
    }

    [Theory]
    [Trait("Category", TestBackend.Category)]
    [InlineData("SELECT path AS relpath, ast FROM files", "IngestQueryColumnUnknown")]
    [InlineData("SELECT path FROM files", "IngestQueryColumnUnknown")]
    [InlineData("SELECT id AS file_id FROM files", "IngestQueryRelPathMissing")]
    [InlineData("SELEC path AS relpath FROM files", "DatabaseQueryInvalid")]
    [InlineData("SELECT path AS relpath, 'done' AS status FROM files", "IngestStatusInvalid")]
    [InlineData("SELECT NULL AS relpath FROM files", "IngestRelPathMissing")]
    public void A_bad_query_is_a_clear_error_and_logs_nothing(string query, string errorId)
    {
        var run = Run();
        var db = temp.Combine("app.db");
        Pipeline(db, "CREATE TABLE files (id INTEGER, path TEXT, ast TEXT); INSERT INTO files VALUES (1, 'a', 'x'), (2, 'b', 'y');");

        var error = Assert.Throws<LogToolsException>(() => ledger.WriteDelta(run, "ast", db, query));

        Assert.Equal(errorId, error.ErrorId);
        Assert.Empty(Records(run));
        if (errorId == "DatabaseQueryInvalid")
        {
            Assert.Contains("syntax error", error.Message, StringComparison.Ordinal);
            Assert.Contains(query, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void A_file_that_is_not_SQLite_and_a_locked_database_are_refused()
    {
        var run = Run();
        var text = temp.Combine("notes.txt");
        File.WriteAllText(text, "not a database at all, really");
        Assert.Equal("DatabaseNotSqlite", Assert.Throws<LogToolsException>(() => ledger.WriteDelta(run, "x", text, "SELECT 1 AS relpath")).ErrorId);
        Assert.Equal("DatabaseNotFound", Assert.Throws<LogToolsException>(() => ledger.WriteDelta(run, "x", temp.Combine("none.db"), "SELECT 1 AS relpath")).ErrorId);

        var db = temp.Combine("locked.db");
        Pipeline(db, "CREATE TABLE files (path TEXT); INSERT INTO files VALUES ('a');");
        using var writer = new SqliteConnection($"Data Source={db};Pooling=False");
        writer.Open();
        using (var exclusive = writer.CreateCommand())
        {
            exclusive.CommandText = "BEGIN EXCLUSIVE; INSERT INTO files VALUES ('b');";
            exclusive.ExecuteNonQuery();
        }

        Assert.Equal("DatabaseLocked", Assert.Throws<LogToolsException>(() => ledger.WriteDelta(run, "x", db, "SELECT path AS relpath FROM files")).ErrorId);
        Assert.Empty(Records(run));
    }

    [Fact]
    [Trait("Category", TestBackend.Category)]
    public void Writing_to_an_unknown_or_completed_run_is_refused()
    {
        Assert.Equal("RunNotFound", Assert.Throws<LogToolsException>(() => ledger.Write("nope", "p", [Record("a", IngestStatus.Processed, 1)])).ErrorId);
        var run = Run();
        Assert.Equal("IngestRelPathMissing", Assert.Throws<LogToolsException>(() => ledger.Write(run, "p", [Record(" ", IngestStatus.Processed, 1)])).ErrorId);
        Complete(run);
        Assert.Equal("RunCompleted", Assert.Throws<LogToolsException>(() => ledger.Write(run, "p", [Record("a", IngestStatus.Processed, 1)])).ErrorId);
    }

    private static IngestRecord Record(string path, IngestStatus status, long size) => new()
    {
        RelPath = path, Status = status, SizeRaw = size, SizeStored = size / 2, ContentHash = $"{size:x64}",
        ErrorType = status == IngestStatus.Error ? "ParseError" : null,
    };

    private static void Pipeline(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static IngestProof Copy(IngestProof p, string? status = null, long? size = null, long? index = null) => new()
    {
        Hash = p.Hash, RunId = p.RunId, Phase = p.Phase, LogId = p.LogId, Timestamp = p.Timestamp, RelPath = p.RelPath, Status = status ?? p.Status,
        SizeRaw = size ?? p.SizeRaw, SizeStored = p.SizeStored, ContentHash = p.ContentHash, FileId = p.FileId, ContentVersionId = p.ContentVersionId,
        ErrorType = p.ErrorType, ErrorMessage = p.ErrorMessage, LeafHash = p.LeafHash, LeafIndex = index ?? p.LeafIndex, BlockFiles = p.BlockFiles,
        AuditPath = p.AuditPath, BlockRoot = p.BlockRoot, BlockNumber = p.BlockNumber, BlockCount = p.BlockCount, BlockPath = p.BlockPath, RunRoot = p.RunRoot,
    };

    private string Run() => new RunLedger(store).Start(null, null, "test", RunStatus.Running).RunId;

    private void Complete(string run) => new RunLedger(store).Complete(run, RunStatus.Succeeded, 0, [], null);

    private string Built(int count, int blockSize)
    {
        var run = Run();
        ledger.Write(run, "parse", [.. Enumerable.Range(0, count).Select(i => Record($"f{i:D5}.json", IngestStatus.Processed, i + 1))]);
        audit.Build(run, blockSize, force: true);
        Complete(run);
        return run;
    }

    private List<IngestBlock> Blocks(string run)
    {
        var blocks = new List<IngestBlock>();
        ledger.Blocks(run, null, null, blocks.Add);
        return blocks;
    }

    private List<IngestRecord> Records(string run)
    {
        var records = new List<IngestRecord>();
        ledger.Find(run, null, null, null, records.Add);
        return records;
    }

    private List<IngestCheck> Verify(string run)
    {
        var checks = new List<IngestCheck>();
        audit.Verify(run, null, null, null, checks.Add);
        return checks;
    }

    private void Sql(string text) => store.Database.Write((connection, transaction) =>
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = text;
        command.ExecuteNonQuery();
    });
}
