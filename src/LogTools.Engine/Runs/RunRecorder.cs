using System.Diagnostics;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Engine.Runs;

/// <summary>
/// Records a LogTools job (Sync-LogSource, Import-LogHistory) as a run: a sink in front of the job's own sink that
/// passes every report on and writes, through <see cref="RunLedger"/>, one event per output object
/// (<see cref="IRunOutput.ToRunEvent"/>), warning and error, stamps each output with the run's id, and completes the
/// run with the outputs' counts as its summary. The files the job reports (<see cref="IEngineSink.File"/>) go, in the
/// same batches, to <see cref="RunHooks.Files"/>. Events are appended in batches (at most a second old, so
/// Get-RunEvent -Follow sees a long job move). The run starts when <see cref="Attach"/> gives it a store; what is
/// reported before is written then, and a job that never opened a store records nothing.
/// </summary>
public sealed class RunRecorder(IEngineSink inner, string kind) : IEngineSink
{
    private const string WarningType = "warning";
    private const string ErrorType = "error";
    private const int BatchSize = 500;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly object gate = new();
    private readonly List<NewRunEvent> pending = [];
    private readonly List<RunFileRecord> files = [];
    private readonly Dictionary<string, long> totals = new(StringComparer.Ordinal);
    private readonly Stopwatch sinceFlush = Stopwatch.StartNew();
    private LogStore? store;
    private RunLedger? ledger;
    private long errors;
    private long warnings;
    private string? recordingFailed;
    private bool recordingFailureTold;

    /// <summary>The run's id once it started; null before (and for a job that never opened a store).</summary>
    public string? RunId { get; private set; }

    public CancellationToken CancellationToken => inner.CancellationToken;

    /// <summary>Starts the run in <paramref name="store"/> (the first call only) and writes what was reported so far.</summary>
    public void Attach(LogStore store)
    {
        lock (gate)
        {
            if (ledger is not null)
            {
                return;
            }

            this.store = store;
            ledger = new RunLedger(store);
            RunId = ledger.Start(null, null, kind, RunStatus.Running).RunId;
            Flush();
        }
    }

    public void Output(object item)
    {
        if (item is IRunOutput output)
        {
            lock (gate)
            {
                output.RunId = RunId;
                if (output.ToRunEvent() is { } recorded)
                {
                    foreach (var (name, count) in recorded.Counts)
                    {
                        totals[name] = totals.GetValueOrDefault(name) + count;
                    }

                    Add(recorded.Type, null, null, recorded.Payload);
                }
            }
        }

        TellRecordingFailure();
        inner.Output(item);
    }

    public void Progress(EngineProgress progress) => inner.Progress(progress);

    public void Warning(string message)
    {
        Record(WarningType, LogEventSeverity.Warning, message, null);
        TellRecordingFailure();
        inner.Warning(message);
    }

    public void Warning(LogToolsException condition)
    {
        Record(WarningType, LogEventSeverity.Warning, condition.Message, condition);
        TellRecordingFailure();
        inner.Warning(condition);
    }

    public void Error(LogToolsException error)
    {
        Record(ErrorType, LogEventSeverity.Error, error.Message, error);
        TellRecordingFailure();
        inner.Error(error);
    }

    public void File(RunFileRecord record)
    {
        lock (gate)
        {
            files.Add(record);
            if (files.Count >= BatchSize)
            {
                Flush();
            }
        }

        TellRecordingFailure();
    }

    public void Verbose(string message) => inner.Verbose(message);

    public bool ShouldProcess(string? target, string action) => inner.ShouldProcess(target, action);

    /// <summary>
    /// Completes the run, when one started: cancelled when <paramref name="stopped"/>; failed when an error was reported
    /// or the job ended with <paramref name="failure"/> (recorded as an error event); otherwise succeeded.
    /// </summary>
    public LogRun? Complete(bool stopped, Exception? failure)
    {
        lock (gate)
        {
            if (ledger is null || RunId is null)
            {
                return null;
            }

            if (failure is not null && !stopped)
            {
                Add(ErrorType, LogEventSeverity.Error, failure.Message, Describe(failure as LogToolsException));
                errors++;
            }

            Flush();
            var status = stopped ? RunStatus.Cancelled : errors > 0 ? RunStatus.Failed : RunStatus.Succeeded;
            var summary = new Dictionary<string, long>(totals, StringComparer.Ordinal) { ["errors"] = errors, ["warnings"] = warnings };
            var run = ledger.Complete(RunId, status, null, [], FlatJson.Object(summary));
            ledger = null;
            return run;
        }
    }

    private void Record(string type, LogEventSeverity severity, string message, LogToolsException? error)
    {
        lock (gate)
        {
            if (severity == LogEventSeverity.Error)
            {
                errors++;
            }
            else
            {
                warnings++;
            }

            Add(type, severity, message, Describe(error));
        }
    }

    private static Dictionary<string, object?>? Describe(LogToolsException? error) => error is null ? null : new()
    {
        ["error_id"] = error.ErrorId, ["target"] = error.Target?.ToString(),
    };

    private void Add(string type, LogEventSeverity? severity, string? message, IReadOnlyDictionary<string, object?>? payload)
    {
        pending.Add(new NewRunEvent
        {
            Type = type, Time = DateTimeOffset.UtcNow, Severity = severity, Message = message,
            PayloadJson = payload is null ? null : FlatJson.Object(payload),
        });
        if (pending.Count >= BatchSize || sinceFlush.Elapsed >= FlushInterval)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (ledger is null || store is null || RunId is null)
        {
            return;
        }

        try
        {
            if (pending.Count > 0)
            {
                ledger.Append(RunId, pending);
            }

            if (files.Count > 0)
            {
                RunHooks.Files.Call(hook => hook(store, RunId, files));
            }
        }
        catch (LogToolsException ex)
        {
            // Recording a job must never take the job down (a full or read-only store): the job goes on, and the
            // user hears of it once, outside the lock, from the next report (TellRecordingFailure).
            recordingFailed ??= $"Recording run {RunId} failed: {ex.Message} The job goes on; its events and file records are not recorded while this lasts.";
        }
        finally
        {
            pending.Clear();
            files.Clear();
            sinceFlush.Restart();
        }
    }

    /// <summary>Passes the first recording failure on as a warning, outside the lock (the sink may wait for the pipeline).</summary>
    private void TellRecordingFailure()
    {
        string? message;
        lock (gate)
        {
            if (recordingFailed is null || recordingFailureTold)
            {
                return;
            }

            recordingFailureTold = true;
            message = recordingFailed;
        }

        inner.Warning(message);
    }
}
