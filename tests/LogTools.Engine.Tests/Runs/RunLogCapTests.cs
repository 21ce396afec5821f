using System.Text.Json;
using LogTools.Engine.Hashing;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Runs;

[Trait("Category", TestBackend.Category)]
public sealed class RunLogCapTests : IDisposable
{
    private const long Cap = 64 * 1024;

    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void ACappedRun_KeepsHeadAndRollingTail_ThenCompletionWritesOneMarkerForTheDroppedRange()
    {
        var (store, ledger, run) = StartCapped(5000);
        var folder = Path.GetDirectoryName(run.EventsPath)!;

        Assert.True(new FileInfo(run.EventsPath).Length <= Cap / 2);
        Assert.True(File.Exists(Path.Combine(folder, RunLayout.TailFile)));
        var onDisk = new[] { RunLayout.EventsFile, RunLayout.TailFile, RunLayout.PreviousTailFile }.Sum(f => new FileInfo(Path.Combine(folder, f)).Length);
        Assert.InRange(onDisk, Cap * 3 / 4, Cap + 512);
        Assert.Equal(onDisk, ledger.Get(run.RunId).EventsBytes);

        // While open: the head, then the newest events, with a jump in between and nothing repeated.
        var open = Sequences(ledger.Get(run.RunId));
        var head = Sequences(run.EventsPath).Max();
        var jump = open.FindIndex(s => s > head);
        Assert.Equal(Enumerable.Range(1, (int)head).Select(i => (long)i), open.Take(jump));
        Assert.Equal(Enumerable.Range((int)open[jump], open.Count - jump).Select(i => (long)i), open.Skip(jump));
        Assert.Equal(5001, open[^1]);
        var firstKept = open[jump];
        Assert.True(firstKept > head + 1, "the tail rotated, so events were dropped");

        var done = ledger.Complete(run.RunId, RunStatus.Succeeded, 0, [], null);

        var lines = File.ReadAllLines(run.EventsPath).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var markers = lines.Where(l => l.GetProperty("type").GetString() == RunEventTypes.Truncated).ToList();
        var marker = Assert.Single(markers);
        var payload = marker.GetProperty("payload");
        Assert.Equal(firstKept - 1, marker.GetProperty("sequence").GetInt64());
        Assert.Equal(head + 1, payload.GetProperty("first_sequence").GetInt64());
        Assert.Equal(firstKept - 1, payload.GetProperty("last_sequence").GetInt64());
        Assert.Equal(firstKept - 1 - head, payload.GetProperty("dropped_events").GetInt64());
        Assert.True(payload.GetProperty("dropped_bytes").GetInt64() > 0);
        Assert.Equal("warning", payload.GetProperty("severity").GetString());
        Assert.Equal(
            [.. Enumerable.Range(1, (int)head).Select(i => (long)i), .. Enumerable.Range((int)firstKept - 1, 5002 - (int)firstKept + 2).Select(i => (long)i)],
            lines.Select(l => l.GetProperty("sequence").GetInt64()));
        Assert.False(File.Exists(Path.Combine(folder, RunLayout.TailFile)));
        Assert.False(File.Exists(Path.Combine(folder, RunLayout.PreviousTailFile)));
        Assert.False(File.Exists(Path.Combine(folder, RunLayout.DroppedFile)));

        Assert.Equal(5002, done.EventsCount);
        Assert.Equal(firstKept - 1 - head, Convert.ToInt64(done.Summary!["dropped_events"]));
        Assert.Equal(payload.GetProperty("dropped_bytes").GetInt64(), Convert.ToInt64(done.Summary!["dropped_bytes"]));
        Assert.Equal(Blake3File.Hash(run.EventsPath).ToString(), done.EventsBlake3);
        var check = Verify(store, run.RunId);
        Assert.Equal(RunCheckStatus.Ok, check.Status);
        Assert.Equal(5002, check.Events);

        // Replay seeks through the index into the folded tail.
        Assert.Equal([4990L, 4991, 4992], Sequences(done, from: 4990).Take(3));
    }

    [Fact]
    public void AFoldCutShortBeforeTheTailWasRemoved_IsFinishedWithoutARepeatedEventOrASecondMarker()
    {
        var (store, ledger, run) = StartCapped(3000);
        var folder = Path.GetDirectoryName(run.EventsPath)!;
        var saved = temp.Combine("saved");
        Directory.CreateDirectory(saved);
        foreach (var name in new[] { RunLayout.TailFile, RunLayout.PreviousTailFile, RunLayout.DroppedFile })
        {
            File.Copy(Path.Combine(folder, name), Path.Combine(saved, name));
        }

        using (var writer = RunEventWriter.Open(run.EventsPath, run.RunId, Cap))
        {
            writer.FoldTail();
        }

        // The crash: the tail files are still there, and the run still open.
        foreach (var name in Directory.GetFiles(saved))
        {
            File.Copy(name, Path.Combine(folder, Path.GetFileName(name)));
        }

        Write(ledger, run.RunId, 10);
        var done = ledger.Complete(run.RunId, RunStatus.Failed, 1, [], null);

        var sequences = Sequences(run.EventsPath);
        Assert.Equal(sequences.Distinct().Count(), sequences.Count);
        Assert.Equal(3012, sequences[^1]);
        Assert.Single(File.ReadLines(run.EventsPath), l => l.Contains("\"type\":\"log.truncated\"", StringComparison.Ordinal));
        Assert.Equal(RunCheckStatus.Ok, Verify(store, run.RunId).Status);
        Assert.Equal(3012, done.EventsCount);
    }

    [Fact]
    public async Task AFollower_GoesOnThroughTheRollingTailAndTheFold_ShowingEachEventOnceInOrder_UntilRunCompleted()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var ledger = new RunLedger(store);
        var run = ledger.Start(null, null, "test", RunStatus.Running, Cap);
        var seen = new List<(long Sequence, string Type)>();
        var follower = Task.Run(() => RunEventReader.Read(
            run, new RunEventQuery { Follow = true, PollInterval = TimeSpan.FromMilliseconds(1) }, line => seen.Add((line.Sequence, line.Type)), e => throw e, CancellationToken.None));
        for (var i = 0; i < 40; i++)
        {
            Write(ledger, run.RunId, 100);
            Thread.Sleep(5);
        }

        ledger.Complete(run.RunId, RunStatus.Succeeded, 0, [], null);
        await follower.WaitAsync(TimeSpan.FromSeconds(60)); // the follower ends by itself after run.completed

        var sequences = seen.Select(s => s.Sequence).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences.Distinct().Count(), sequences.Count);
        Assert.Equal((4002L, RunEventTypes.Completed), seen[^1]);
        Assert.Equal(4001L, seen[^2].Sequence);
        var head = Sequences(run.EventsPath).TakeWhile((s, i) => s == i + 1).Count();
        Assert.Equal(Enumerable.Range(1, head).Select(i => (long)i), sequences.Take(head));
    }

    [Fact]
    public void ARunUnderItsCap_HasNoTailAndNoMarker_AndACapBelowTheMinimumIsRefused()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var ledger = new RunLedger(store);
        var run = ledger.Start(null, null, "test", RunStatus.Running);
        Write(ledger, run.RunId, 100);
        var done = ledger.Complete(run.RunId, RunStatus.Succeeded, 0, [], null);
        Assert.Equal(Enumerable.Range(1, 102).Select(i => (long)i), Sequences(run.EventsPath));
        Assert.Equal(0L, Convert.ToInt64(done.Summary!["dropped_events"]));
        Assert.Equal(RunLayout.DefaultMaxLogBytes, done.MaxLogBytes);

        var error = Assert.Throws<LogToolsException>(() => ledger.Start(null, null, "test", RunStatus.Running, 1000));
        Assert.Equal("RunMaxLogSizeInvalid", error.ErrorId);
    }

    private (LogStore Store, RunLedger Ledger, LogRun Run) StartCapped(int events)
    {
        var store = TestBackend.Open(temp.Combine("store"));
        var ledger = new RunLedger(store);
        var run = ledger.Start(null, null, "test", RunStatus.Running, Cap);
        Write(ledger, run.RunId, events);
        return (store, ledger, run);
    }

    private static void Write(RunLedger ledger, string runId, int count)
    {
        for (var i = 0; i < count; i += 100)
        {
            ledger.Append(runId, [.. Enumerable.Range(i, Math.Min(100, count - i)).Select(n => new NewRunEvent
            {
                Type = RunEventTypes.ConsoleLine, Time = DateTimeOffset.UtcNow, Message = $"line {n} of a chatty job's output",
            })]);
        }
    }

    private static List<long> Sequences(string path) =>
        [.. File.ReadLines(path).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("sequence").GetInt64())];

    private static List<long> Sequences(LogRun run, long from = 1)
    {
        var sequences = new List<long>();
        RunEventReader.Read(run, new RunEventQuery { FromSequence = from }, line => sequences.Add(line.Sequence), e => throw e, CancellationToken.None);
        return sequences;
    }

    private static RunCheck Verify(LogStore store, string runId)
    {
        RunCheck? found = null;
        new RunMaintenance(store).Verify(new RunQuery { RunId = runId }, c => found = c);
        return found!;
    }
}
