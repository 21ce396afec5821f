namespace LogTools.Engine;

/// <summary>
/// How an <see cref="IRunOutput"/> is recorded: the event <paramref name="Type"/> and <paramref name="Payload"/>
/// (JSON-serialisable values), and the <paramref name="Counts"/> it adds to the run's summary totals.
/// </summary>
public sealed record RunOutputEvent(string Type, IReadOnlyDictionary<string, object?> Payload, IReadOnlyDictionary<string, long> Counts);
