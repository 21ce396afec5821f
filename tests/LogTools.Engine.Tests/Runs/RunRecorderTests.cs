using LogTools.Engine.Mirror;
using LogTools.Engine.Runs;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Runs;

[Trait("Category", TestBackend.Category)]
public sealed class RunRecorderTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void ReportsPassThrough_AndBecomeEventsOnceAStoreIsAttached_WithTheRunIdOnEveryOutput()
    {
        var inner = new TestSink();
        var recorder = new RunRecorder(inner, "sync");
        var early = new LogToolsException("MirrorFileUnreadable", ErrorKind.ReadError, "/host/a.log", "a.log could not be read.");
        recorder.Error(early);
        var store = TestBackend.Open(temp.Combine("store"));
        recorder.Attach(store);
        var result = new MirrorResult { Source = "app", Name = "b.log", Action = MirrorAction.Copied, BytesCopied = 10, Length = 10, Blake3 = "ab" };
        recorder.Output(result);
        recorder.Warning("b.log: changed on the host");

        var run = recorder.Complete(stopped: false, failure: null)!;

        Assert.Equal([early], inner.Errors);
        Assert.Equal([result], inner.Outputs);
        Assert.Equal(["b.log: changed on the host"], inner.Warnings);
        Assert.Equal(run.RunId, result.RunId);
        Assert.Equal(("sync", RunStatus.Failed, LogEventSeverity.Error), (run.Kind, run.Status, run.MaxSeverity));
        Assert.Equal(1, run.InputFileCount);
        var events = Events(store, run.RunId);
        Assert.Equal(["run.started", "error", "mirror.file", "warning", "run.completed"], events.Select(e => e.Type));
        Assert.Equal("MirrorFileUnreadable", events[1].Payload!["error_id"]);
        Assert.Equal(("b.log", "Copied", 10L), ((string?)events[2].Payload!["name"], (string?)events[2].Payload!["action"], Convert.ToInt64(events[2].Payload!["bytes"])));
    }

    [Fact]
    public void ARunWithoutErrorsSucceeds_AStoppedOneIsCancelled_AndATerminatingFailureIsRecorded()
    {
        var store = TestBackend.Open(temp.Combine("store"));
        RunStatus Completed(bool stopped, Exception? failure)
        {
            var recorder = new RunRecorder(new TestSink(), "import");
            recorder.Attach(store);
            recorder.Output(new HistoryFileImport { Path = "/logs/a.jsonl", Machine = "m", Imported = 3 });
            return recorder.Complete(stopped, failure)!.Status;
        }

        Assert.Equal(RunStatus.Succeeded, Completed(stopped: false, failure: null));
        Assert.Equal(RunStatus.Cancelled, Completed(stopped: true, failure: new OperationCanceledException()));
        Assert.Equal(RunStatus.Failed, Completed(stopped: false, failure: new LogToolsException("StoreBusy", ErrorKind.ResourceBusy, null, "busy")));
    }

    [Fact]
    public void AJobThatNeverOpenedAStoreRecordsNothing()
    {
        var inner = new TestSink();
        var recorder = new RunRecorder(inner, "sync");
        recorder.Warning(new LogToolsException("MirrorSourceEmpty", ErrorKind.ObjectNotFound, "app", "nothing found"));

        Assert.Null(recorder.Complete(stopped: false, failure: null));
        Assert.Null(recorder.RunId);
        Assert.Equal(["nothing found"], inner.Warnings);
    }

    private static List<RunEvent> Events(LogStore store, string runId)
    {
        var events = new List<RunEvent>();
        RunEventReader.Read(new RunLedger(store).Get(runId), new RunEventQuery(), line => events.Add(line.ToEvent()), e => throw e, CancellationToken.None);
        return events;
    }
}
