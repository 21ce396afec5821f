using System.Text;
using LogTools.Engine.Runs;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Runs;

/// <summary>
/// The replay's two ways through a completed log: the writer's own file (length and last-write time as recorded at
/// completion) read by sequence and type only, and any other file checked line by line.
/// </summary>
[Trait("Category", TestBackend.Category)]
public sealed class RunReplayTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void TheWritersFile_AndTheSameBytesAfterATouch_ReplayTheSameEvents_WithEveryQuery()
    {
        var (_, ledger, run) = Completed(2500, maxLogBytes: null);
        var queries = new[]
        {
            new RunEventQuery(),
            new RunEventQuery { FromSequence = 2100 },
            new RunEventQuery { FromSequence = 99_999 },
            new RunEventQuery { TypeMatch = t => t == "odd.type" },
            new RunEventQuery { Tail = 7 },
            new RunEventQuery { Follow = true },
        };
        var written = queries.Select(q => Replay(run, q)).ToList();

        // The same bytes with a later last-write time: no longer the file completion recorded, so every line is checked.
        File.SetLastWriteTimeUtc(run.EventsPath, DateTime.UtcNow.AddMinutes(1));
        var touched = ledger.Get(run.RunId);
        var checkedLines = queries.Select(q => Replay(touched, q)).ToList();

        Assert.Equal(2502, written[0].Count);
        Assert.Equal(Enumerable.Range(1, 2502).Select(i => (long)i), written[0].Select(e => e.Sequence));
        Assert.Equal(403, written[1].Count);
        Assert.Empty(written[2]);
        Assert.Equal(833, written[3].Count);
        Assert.Equal(7, written[4].Count);
        Assert.Equal(RunEventTypes.Completed, written[5][^1].Type);
        for (var i = 0; i < queries.Length; i++)
        {
            Assert.Equal(checkedLines[i], written[i]);
        }
    }

    [Fact]
    public void ALogOfSeveralReads_LinesAcrossTheirEdges_ReplaysTheSameBothWays_AndIsReadAsWrittenToItsEnd()
    {
        var (_, ledger, run) = Completed(60_000, maxLogBytes: null);
        var time = File.GetLastWriteTimeUtc(run.EventsPath);
        var written = Replay(run, new RunEventQuery());
        File.SetLastWriteTimeUtc(run.EventsPath, DateTime.UtcNow.AddMinutes(1));
        var checkedLines = Replay(ledger.Get(run.RunId), new RunEventQuery());

        Assert.True(new FileInfo(run.EventsPath).Length > 2 * (4 << 20), "the log spans more than two of the replay's reads");
        Assert.Equal(Enumerable.Range(1, 60_002).Select(i => (long)i), written.Select(e => e.Sequence));
        Assert.Equal(checkedLines, written);

        // A payload broken near the end, length and time kept: read as written (no line checked whole), so the
        // written path held across every read's edge.
        var bytes = File.ReadAllBytes(run.EventsPath);
        Overwrite(run.EventsPath, Array.IndexOf(bytes, (byte)'#', LineStart(bytes, 59_001)) + 1, "x"u8);
        File.SetLastWriteTimeUtc(run.EventsPath, time);
        var problems = new List<LogToolsException>();
        var sequences = new List<long>();
        RunEventReader.Read(ledger.Get(run.RunId), new RunEventQuery(), line => sequences.Add(line.Sequence), problems.Add, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 60_002).Select(i => (long)i), sequences);
        Assert.Empty(problems);
    }

    [Fact]
    public void ACappedRun_ReadsOnPastItsTruncationMarker_TheSameBothWays()
    {
        var (_, ledger, run) = Completed(5000, maxLogBytes: 64 * 1024);
        var written = Replay(run, new RunEventQuery());
        File.SetLastWriteTimeUtc(run.EventsPath, DateTime.UtcNow.AddMinutes(1));

        var checkedLines = Replay(ledger.Get(run.RunId), new RunEventQuery());

        var marker = Assert.Single(written, e => e.Type == RunEventTypes.Truncated);
        Assert.True(marker.Sequence > written[written.IndexOf(marker) - 1].Sequence + 1, "sequences were dropped before the marker");
        Assert.Equal(5002, written[^1].Sequence);
        Assert.Equal(checkedLines, written);
    }

    [Fact]
    public void AHandEditThatKeepsTheSize_IsCaught_ByItsLineNumber_AndTheRestIsReplayed()
    {
        var (_, ledger, run) = Completed(3000, maxLogBytes: null);
        var bytes = File.ReadAllBytes(run.EventsPath);
        var line = LineStart(bytes, 1500);
        // Past the file system clock's tick of completion, so that the edit leaves a later last-write time.
        Thread.Sleep(50);
        Overwrite(run.EventsPath, line + 2, "broken!!"u8);

        var problems = new List<LogToolsException>();
        var edited = Replay(ledger.Get(run.RunId), new RunEventQuery(), problems);

        Assert.Equal(bytes.Length, new FileInfo(run.EventsPath).Length);
        Assert.Equal([.. Enumerable.Range(1, 1499).Select(i => (long)i), .. Enumerable.Range(1501, 1502).Select(i => (long)i)], edited.Select(e => e.Sequence));
        var problem = Assert.Single(problems);
        Assert.Equal("RunEventLineInvalid", problem.ErrorId);
        Assert.Equal($"{run.EventsPath}:1500", problem.Target);
        Assert.Equal(1501, edited[1499].LineNumber);
    }

    [Fact]
    public void AnEditThatKeepsSizeAndTime_IsCaughtWhereALineStopsLookingWritten_APayloadEditByToEvent_AndByTestLogRun()
    {
        var (store, ledger, run) = Completed(3000, maxLogBytes: null);
        var time = File.GetLastWriteTimeUtc(run.EventsPath);
        var bytes = File.ReadAllBytes(run.EventsPath);
        // Line 1001's payload broken (its message "line 999 #" loses its closing quote), line 1200's sequence changed to
        // another of the same length, line 1502's payload broken as 1001's, line 2200's start broken; then the recorded
        // time put back.
        Overwrite(run.EventsPath, Array.IndexOf(bytes, (byte)'#', LineStart(bytes, 1001)) + 1, "x"u8);
        Overwrite(run.EventsPath, LineStart(bytes, 1200) + "{\"sequence\":"u8.Length, "9999"u8);
        Overwrite(run.EventsPath, Array.IndexOf(bytes, (byte)'#', LineStart(bytes, 1502)) + 1, "x"u8);
        Overwrite(run.EventsPath, LineStart(bytes, 2200), "[\"sequ"u8);
        File.SetLastWriteTimeUtc(run.EventsPath, time);

        var problems = new List<LogToolsException>();
        var read = new List<long>();
        LogToolsException? payload = null;
        RunEventReader.Read(ledger.Get(run.RunId), new RunEventQuery(), line =>
        {
            read.Add(line.Sequence);
            if (line.Sequence == 1001)
            {
                payload = Assert.Throws<LogToolsException>(() => line.ToEvent());
            }
        }, problems.Add, CancellationToken.None);
        var checks = new List<RunCheck>();
        new RunMaintenance(store).Verify(new RunQuery(), checks.Add);

        // Up to the changed sequence the lines are read as written (the broken payload shows when the event is made);
        // from there on every line is checked, as in any other file: the out-of-order sequence is replayed as it stands,
        // the broken lines are reported and skipped.
        Assert.Equal("RunEventLineInvalid", payload?.ErrorId);
        Assert.Equal($"{run.RunId}:1001", payload?.Target);
        Assert.Equal(
            [.. Enumerable.Range(1, 1199).Select(i => (long)i), 9999L, .. Enumerable.Range(1201, 999).Where(i => i != 1502).Select(i => (long)i), .. Enumerable.Range(2201, 802).Select(i => (long)i)],
            read);
        Assert.Equal([$"{run.EventsPath}:1502", $"{run.EventsPath}:2200"], problems.Select(p => p.Target));
        Assert.Equal(RunCheckStatus.Tampered, Assert.Single(checks).Status);
    }

    // A completed run of `events` events of three types, payloads with escapes and non-ASCII text among them, then
    // run.completed (and run.started first).
    private (LogStore Store, RunLedger Ledger, LogRun Run) Completed(int events, long? maxLogBytes)
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var ledger = new RunLedger(store);
        var run = maxLogBytes is { } cap ? ledger.Start(null, null, "test", RunStatus.Running, cap) : ledger.Start(null, null, "test", RunStatus.Running);
        for (var i = 0; i < events; i += 100)
        {
            ledger.Append(run.RunId, [.. Enumerable.Range(i, Math.Min(100, events - i)).Select(n => new NewRunEvent
            {
                Type = (n % 3) switch { 0 => RunEventTypes.ConsoleLine, 1 => "odd.type", _ => "t\"quoted\"" },
                Time = DateTimeOffset.UtcNow,
                Message = n % 7 == 0 ? $"line {n} \"q\" \\ tab\t é ☃ \U0001F600" : $"line {n} #",
                Severity = n % 5 == 0 ? LogEventSeverity.Warning : null,
                PayloadJson = n % 11 == 0 ? $"{{\"n\":{n},\"list\":[1,2.5,true,null,{{\"k\":\"v\"}}]}}" : null,
            })]);
        }

        return (store, ledger, ledger.Complete(run.RunId, RunStatus.Succeeded, 0, [], null));
    }

    private static List<Replayed> Replay(LogRun run, RunEventQuery query, List<LogToolsException>? problems = null)
    {
        var read = new List<Replayed>();
        RunEventReader.Read(run, query, line =>
        {
            var e = line.ToEvent();
            read.Add(new Replayed(line.Sequence, line.Type, line.LineNumber, line.Text, e.Time, e.Message, e.Severity, Json(e.Payload)));
        }, problems is null ? e => throw e : problems.Add, CancellationToken.None);
        return read;
    }

    private static string Json(DataMap? payload) => payload?.ToString() ?? "";

    // The offset of line `number` (1-based).
    private static int LineStart(byte[] bytes, int number)
    {
        var at = 0;
        for (var line = 1; line < number; line++)
        {
            at = Array.IndexOf(bytes, (byte)'\n', at) + 1;
        }

        return at;
    }

    private static void Overwrite(string path, long offset, ReadOnlySpan<byte> bytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        file.Position = offset;
        file.Write(bytes);
    }

    private sealed record Replayed(long Sequence, string Type, long LineNumber, string Text, DateTimeOffset Time, string? Message, LogEventSeverity? Severity, string Payload);
}
