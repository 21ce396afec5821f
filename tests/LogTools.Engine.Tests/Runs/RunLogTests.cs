using System.Buffers.Binary;
using System.Text.Json;
using LogTools.Engine.Hashing;
using LogTools.Engine.Runs;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Runs;

[Trait("Category", TestBackend.Category)]
public sealed class RunLogTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void WritersNumberOnFromTheLastLine_AndIndexEveryThousandthEventAtItsOffset()
    {
        var ledger = new RunLedger(TestBackend.Open(temp.Combine("store")));
        var run = ledger.Start(null, null, "test", RunStatus.Running);
        for (var batch = 0; batch < 3; batch++)
        {
            ledger.Append(run.RunId, [.. Enumerable.Range(0, 1000).Select(i => Line($"b{batch} {i}"))]);
        }

        var lines = File.ReadAllLines(run.EventsPath);
        Assert.Equal(Enumerable.Range(1, 3001).Select(i => (long)i), lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("sequence").GetInt64()));
        var index = File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(run.EventsPath)!, RunLayout.IndexFile));
        Assert.Equal(3 * 16, index.Length);
        using var file = File.OpenRead(run.EventsPath);
        for (var k = 0; k < 3; k++)
        {
            var sequence = BinaryPrimitives.ReadInt64LittleEndian(index.AsSpan(k * 16));
            var offset = BinaryPrimitives.ReadInt64LittleEndian(index.AsSpan(k * 16 + 8));
            Assert.Equal((k + 1) * 1000L, sequence);
            file.Position = offset;
            var head = new byte[32];
            file.ReadExactly(head);
            Assert.StartsWith($"{{\"sequence\":{sequence},", System.Text.Encoding.UTF8.GetString(head));
        }

        Assert.Equal(3001, ledger.Get(run.RunId).EventsCount);
    }

    [Fact]
    public void Complete_SummarisesTheLog_RecordsItsBlake3_AndRefusesFurtherEvents()
    {
        var ledger = new RunLedger(TestBackend.Open(temp.Combine("store")));
        var run = ledger.Start("ws", "cfg", "test", RunStatus.Running);
        ledger.Append(run.RunId, [Line("one"), Line("two"), new NewRunEvent { Type = "validation.issue", Time = DateTimeOffset.UtcNow, Severity = LogEventSeverity.Warning }]);

        var done = ledger.Complete(run.RunId, RunStatus.Succeeded, 0, ["/tmp/out"], """{"row_count":7}""");

        Assert.Equal(Blake3File.Hash(run.EventsPath).ToString(), done.EventsBlake3);
        Assert.Equal(5, done.EventsCount);
        Assert.Equal(7, done.RowCount);
        Assert.Equal(LogEventSeverity.Warning, done.MaxSeverity);
        Assert.Equal("two", done.LastConsoleSnippet);
        Assert.Equal(["/tmp/out"], done.OutputPaths);
        using var summary = JsonDocument.Parse(done.SummaryJson!);
        Assert.Equal(2, summary.RootElement.GetProperty("console_lines").GetInt32());
        Assert.Equal(1, summary.RootElement.GetProperty("validation_issues").GetInt32());
        Assert.Equal(2, summary.RootElement.GetProperty("types").GetProperty("console.line").GetInt32());
        var error = Assert.Throws<LogToolsException>(() => ledger.Append(run.RunId, [Line("late")]));
        Assert.Equal("RunCompleted", error.ErrorId);
        Assert.Equal(done.EventsBlake3, Blake3File.Hash(run.EventsPath).ToString());
    }

    [Fact]
    public void Verify_TellsAnIntactLogFromAnEditedAndACutOne()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var ledger = new RunLedger(store);
        var ids = Enumerable.Range(0, 3).Select(_ =>
        {
            var run = ledger.Start(null, null, "test", RunStatus.Running);
            ledger.Append(run.RunId, [Line("a"), Line("b"), Line("c")]);
            return ledger.Complete(run.RunId, RunStatus.Succeeded, 0, [], null);
        }).ToList();
        var edited = File.ReadAllLines(ids[1].EventsPath);
        edited[2] = edited[2].Replace("\"b\"", "\"B\"", StringComparison.Ordinal);
        File.WriteAllLines(ids[1].EventsPath, edited);
        File.WriteAllLines(ids[2].EventsPath, File.ReadAllLines(ids[2].EventsPath)[..^1]);

        var checks = new Dictionary<string, RunCheck>();
        new RunMaintenance(store).Verify(new RunQuery(), c => checks[c.RunId] = c);

        Assert.Equal(RunCheckStatus.Ok, checks[ids[0].RunId].Status);
        Assert.Equal(RunCheckStatus.Tampered, checks[ids[1].RunId].Status);
        Assert.Equal(RunCheckStatus.Truncated, checks[ids[2].RunId].Status);
        Assert.Equal(4, checks[ids[2].RunId].Events);
    }

    [Fact]
    public void Compress_ReplacesThePlainLogWithAVerifiedGzip_ThatReadersReadTheSame()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var ledger = new RunLedger(store);
        var run = ledger.Start(null, null, "test", RunStatus.Running);
        ledger.Append(run.RunId, [.. Enumerable.Range(0, 2500).Select(i => Line($"line {i}"))]);
        ledger.Complete(run.RunId, RunStatus.Succeeded, 0, [], null);
        var before = File.ReadAllLines(run.EventsPath);

        var compressed = new List<LogRun>();
        new RunMaintenance(store).Compress(TimeSpan.Zero, _ => true, compressed.Add, e => throw e);

        var after = Assert.Single(compressed);
        Assert.Equal(run.EventsPath + ".gz", after.EventsPath);
        Assert.False(File.Exists(run.EventsPath));
        Assert.False(File.Exists(after.EventsPath + ".tmp"));
        var read = new List<string>();
        RunEventReader.Read(after, new RunEventQuery(), l => read.Add(l.Text), e => throw e, CancellationToken.None);
        Assert.Equal(before, read);
        var tail = new List<long>();
        RunEventReader.Read(after, new RunEventQuery { FromSequence = 2500 }, l => tail.Add(l.Sequence), e => throw e, CancellationToken.None);
        Assert.Equal([2500L, 2501, 2502], tail);
        var check = new List<RunCheck>();
        new RunMaintenance(store).Verify(new RunQuery(), check.Add);
        Assert.Equal(RunCheckStatus.Ok, Assert.Single(check).Status);
    }

    [Fact]
    public void Verify_StoppedAfterTheFirstRun_EndsAsAStopWithoutCheckingTheNext()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var ledger = new RunLedger(store);
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var run = ledger.Start(null, null, "test", RunStatus.Running);
            ledger.Append(run.RunId, [.. Enumerable.Range(0, 10).Select(i => Line($"line {i}"))]);
            ledger.Complete(run.RunId, RunStatus.Succeeded, 0, [], null);
        }

        using var stop = new CancellationTokenSource();
        var checks = new List<RunCheck>();
        Assert.ThrowsAny<OperationCanceledException>(() => new RunMaintenance(store).Verify(new RunQuery(), check =>
        {
            checks.Add(check);
            stop.Cancel();
        }, stop.Token));

        Assert.Equal(RunCheckStatus.Ok, Assert.Single(checks).Status);
    }

    [Fact]
    public void Remove_ExportsThenDeletesRowAndFolder_AndSweepsTheFolderOfAnInterruptedRemoval()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var ledger = new RunLedger(store);
        var run = ledger.Start(null, null, "test", RunStatus.Running);
        ledger.Append(run.RunId, [Line("x")]);
        ledger.Complete(run.RunId, RunStatus.Failed, 1, [], null);
        var orphan = Path.Combine(store.Path, "runs", "2020", "01", "20200101T000000Z-dead00");
        Directory.CreateDirectory(orphan);
        File.WriteAllText(Path.Combine(orphan, RunLayout.EventsFile), "{}\n");
        var export = temp.Combine("export");
        var log = File.ReadAllBytes(run.EventsPath);

        var removed = new List<LogRun>();
        new RunMaintenance(store).Remove(TimeSpan.Zero, [RunStatus.Failed], export, _ => true, _ => true, removed.Add);

        Assert.Equal(run.RunId, Assert.Single(removed).RunId);
        Assert.Equal(log, File.ReadAllBytes(Path.Combine(export, run.RunId, RunLayout.EventsFile)));
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(export, run.RunId, "run.json")));
        Assert.Equal("Failed", meta.RootElement.GetProperty("Status").GetString());
        Assert.False(Directory.Exists(Path.GetDirectoryName(run.EventsPath)));
        Assert.False(Directory.Exists(orphan));
        Assert.Equal("RunNotFound", Assert.Throws<LogToolsException>(() => ledger.Get(run.RunId)).ErrorId);
    }

    private static NewRunEvent Line(string message) => new() { Type = RunEventTypes.ConsoleLine, Time = DateTimeOffset.UtcNow, Message = message };
}
