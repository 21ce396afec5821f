namespace LogTools.Engine;

/// <summary>
/// Where engine work reports everything that is not its return value: output objects, progress, warnings, errors,
/// debugging detail and the "may I?" questions of -WhatIf/-Confirm. The work may run on a worker thread; the cmdlet
/// base implements this by queueing each report and writing it on the pipeline thread, so an implementation's
/// members may block until the pipeline has taken the report.
/// </summary>
public interface IEngineSink
{
    /// <summary>Cancelled when the user stops the command (Ctrl+C) or the pipeline can take nothing more; the work checks it between blocks, files and batches.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>One output object, written as soon as it exists.</summary>
    void Output(object item);

    void Progress(EngineProgress progress);

    /// <summary>Something the user must notice; the work goes on.</summary>
    void Warning(string message);

    /// <summary>
    /// A condition that is not a failure of the work but may be one to the user (a source that found nothing): a
    /// warning, unless the user asked to stop on errors.
    /// </summary>
    void Warning(LogToolsException condition);

    /// <summary>One input failed (a file, a source); the work goes on with the others.</summary>
    void Error(LogToolsException error);

    /// <summary>
    /// What the work did with one file, for the run's per-file audit trail. Only a run's recorder keeps it; every other
    /// sink (a -WhatIf plan, a job that is not a run) has nothing to keep it in.
    /// </summary>
    void File(RunFileRecord record)
    {
    }

    /// <summary>
    /// The run this work is recorded as (work that hangs its own records on it, such as each port's build, links
    /// them); null when the sink is not a run's recorder.
    /// </summary>
    string? RunId => null;

    /// <summary>Debugging detail: recovery steps, decisions.</summary>
    void Verbose(string message);

    /// <summary>
    /// Asks whether to make a change (false under -WhatIf, or when the user declines). With a <paramref name="target"/>
    /// the question is "<paramref name="action"/> on <paramref name="target"/>"; without one, <paramref name="action"/>
    /// is the whole sentence.
    /// </summary>
    bool ShouldProcess(string? target, string action);
}
