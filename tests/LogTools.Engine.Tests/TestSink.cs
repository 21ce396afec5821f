namespace LogTools.Engine.Tests;

/// <summary>
/// An <see cref="IEngineSink"/> that keeps what engine work reported, for engine tests and benchmarks: outputs,
/// warnings (a condition's message counts as one), errors, verbose text and progress; questions get <see cref="Answer"/>.
/// </summary>
internal sealed class TestSink : IEngineSink
{
    public List<object> Outputs { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<LogToolsException> Errors { get; } = [];

    public List<string> Verbose { get; } = [];

    public List<EngineProgress> Reports { get; } = [];

    /// <summary>Errors are thrown instead of kept: work that must not report any fails at once.</summary>
    public bool ThrowErrors { get; init; }

    /// <summary>The answer to each ShouldProcess question (target, action); yes by default.</summary>
    public Func<string?, string, bool> Answer { get; init; } = (_, _) => true;

    /// <summary>Runs on each progress report (a test can fail or stop the work there).</summary>
    public Action<EngineProgress>? OnProgress { get; init; }

    public CancellationToken CancellationToken { get; init; }

    public void Output(object item) => Outputs.Add(item);

    public void Progress(EngineProgress progress)
    {
        Reports.Add(progress);
        OnProgress?.Invoke(progress);
    }

    public void Warning(string message) => Warnings.Add(message);

    public void Warning(LogToolsException condition) => Warnings.Add(condition.Message);

    public void Error(LogToolsException error)
    {
        if (ThrowErrors)
        {
            throw error;
        }

        Errors.Add(error);
    }

    void IEngineSink.Verbose(string message) => Verbose.Add(message);

    public bool ShouldProcess(string? target, string action) => Answer(target, action);
}
