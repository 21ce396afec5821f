using System.Collections.Concurrent;
using System.Management.Automation;
using LogTools.Commands;
using LogTools.Engine;

namespace LogTools;

/// <summary>
/// The cmdlet side of <see cref="IEngineSink"/>: while <see cref="Pump"/> runs engine work on a worker thread, every
/// report is queued and written on the pipeline thread (PowerShell's Write* and ShouldProcess work only there); a
/// question waits for its answer. Outside <see cref="Pump"/>, and on the pipeline thread, reports are written at once.
/// </summary>
internal sealed class PipelineSink(LogToolsCmdlet cmdlet, CancellationToken stopping) : IEngineSink
{
    // Reports waiting for the pipeline: enough to keep the worker busy, few enough to keep memory flat.
    private const int QueueLength = 256;

    private readonly ProgressThrottle throttle = new(TimeSpan.FromMilliseconds(200));
    private BlockingCollection<Action>? queue;
    private CancellationTokenSource? abort;
    private int pumpThread;
    private string? progressActivity;

    /// <summary>The user's stop, and while pumping also the pipeline's failure (the engine must not go on alone).</summary>
    public CancellationToken CancellationToken => abort?.Token ?? stopping;

    private bool OnPipeline => queue is null || Environment.CurrentManagedThreadId == pumpThread;

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread and writes its reports here until it ends; its exception, if
    /// any, is rethrown here. When writing fails (a terminating error, a stopped pipeline), the work is stopped
    /// through <see cref="CancellationToken"/> and waited for, so it leaves its state consistent, and the failure goes on.
    /// </summary>
    public void Pump(Action work)
    {
        using var reports = new BlockingCollection<Action>(QueueLength);
        using var pumpAbort = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        (queue, abort, pumpThread) = (reports, pumpAbort, Environment.CurrentManagedThreadId);
        var worker = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    work();
                }
                finally
                {
                    reports.CompleteAdding();
                }
            },
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            foreach (var report in reports.GetConsumingEnumerable(pumpAbort.Token))
            {
                report();
            }
        }
        catch
        {
            pumpAbort.Cancel();
            try
            {
                worker.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // The pipeline's own failure is the one to report; the work only stopped because of it.
            }

            throw;
        }
        finally
        {
            (queue, abort) = (null, null);
            CloseProgress();
        }

        worker.GetAwaiter().GetResult();
    }

    public void Output(object item) => Post(() =>
    {
        if (cmdlet.Writes(item))
        {
            cmdlet.WriteObject(item);
        }
    });

    public void Progress(EngineProgress progress)
    {
        // Decided here, on the reporting thread, so that skipped reports cost no queueing.
        if (progress.Total < progress.MinimumTotal || !throttle.Due(final: progress.Total > 0 && progress.Done >= progress.Total))
        {
            return;
        }

        Post(() =>
        {
            var amount = progress.Bytes ? $"{Display.Bytes(progress.Done)} of {Display.Bytes(progress.Total)}" : null;
            var status = amount is null ? progress.Status : progress.Status.Length == 0 ? amount : $"{progress.Status}: {amount}";
            progressActivity = progress.Activity;
            cmdlet.WriteProgress(new ProgressRecord(1, progress.Activity, status.Length == 0 ? progress.Activity : status)
            {
                CurrentOperation = progress.CurrentOperation,
                PercentComplete = progress.Total > 0 ? (int)Math.Min(100, progress.Done * 100 / progress.Total) : -1,
            });
        });
    }

    public void Warning(string message) => Post(() => cmdlet.WriteWarning(message));

    public void Warning(LogToolsException condition) => Post(() =>
    {
        if (cmdlet.StopsOnErrors())
        {
            cmdlet.ThrowEngineError(condition);
        }

        cmdlet.WriteWarning(condition.Message);
    });

    public void Error(LogToolsException error) => Post(() => cmdlet.WriteEngineError(error));

    public void Verbose(string message) => Post(() => cmdlet.WriteVerbose(message));

    /// <summary>
    /// Set on the pipeline thread when ShouldProcess cannot act: each question is then answered yes where it is asked.
    /// A question asked on the pipeline thread stops the engine until that thread has run it, two thread switches that
    /// on a busy machine can cost longer than the work asked about (one per file of an import).
    /// </summary>
    public bool AnswersYes { get; set; }

    public bool ShouldProcess(string? target, string action) => AnswersYes || Call(() => target is null
        ? cmdlet.ShouldProcess(action, action, cmdlet.MyInvocation.MyCommand.Name)
        : cmdlet.ShouldProcess(target, action));

    /// <summary>Runs <paramref name="step"/> on the pipeline thread and returns its result (engine callbacks that need the cmdlet, such as opening the store).</summary>
    public T Call<T>(Func<T> step)
    {
        if (OnPipeline)
        {
            return step();
        }

        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() =>
        {
            try
            {
                answer.SetResult(step());
            }
            catch (Exception e)
            {
                answer.SetException(e);
                throw;
            }
        });
        Task.WaitAny([answer.Task], CancellationToken);
        return answer.Task.GetAwaiter().GetResult();
    }

    private void Post(Action report)
    {
        if (OnPipeline)
        {
            report();
        }
        else
        {
            queue!.Add(report, CancellationToken);
        }
    }

    private void CloseProgress()
    {
        if (progressActivity is { } activity)
        {
            progressActivity = null;
            cmdlet.WriteProgress(new ProgressRecord(1, activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }
}
