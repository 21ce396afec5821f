namespace LogTools.Engine.Runs;

/// <summary>What Get-RunEvent reads of a run's log.</summary>
public sealed class RunEventQuery
{
    /// <summary>The first sequence to return (1 or more); beyond the end gives nothing.</summary>
    public long FromSequence { get; init; } = 1;

    /// <summary>Which event types to return, or null for all.</summary>
    public Func<string, bool>? TypeMatch { get; init; }

    /// <summary>Only the last this many matching events (then, with <see cref="Follow"/>, the new ones).</summary>
    public int? Tail { get; init; }

    /// <summary>Keep reading new events until run.completed (or cancellation).</summary>
    public bool Follow { get; init; }

    /// <summary>How often a follower looks for new events.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(10);
}
