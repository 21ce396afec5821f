namespace LogTools.Engine.Ports;

/// <summary>The totals of one Invoke-PortBuild, written last: they equal the per-port objects written before.</summary>
public sealed class PortBuildStats : IRunOutput
{
    public int Total { get; init; }

    public int Success { get; init; }

    public int Failed { get; init; }

    public int Skipped { get; init; }

    public int DependencyFailed { get; init; }

    public int Ignored { get; init; }

    public TimeSpan Duration { get; init; }

    public string? RunId { get; set; }

    /// <summary>Not an event: the run's summary already counts the per-port results.</summary>
    public RunOutputEvent? ToRunEvent() => null;
}
