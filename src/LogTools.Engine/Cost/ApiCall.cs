namespace LogTools.Engine.Sessions;

/// <summary>
/// One model API call: who made it, when, with which model, how many tokens and, when the source
/// knows it, what it cost. Calls without a given cost are priced from the price table when reported,
/// so a price update or a user price file applies to history too.
/// </summary>
public sealed class ApiCall : ApiTokens
{
    /// <summary>The store's id, set once the call is stored; null before, and for a duplicate that was ignored.</summary>
    public long? CallId { get; internal set; }

    public string? WorkerId { get; init; }

    public string? SessionId { get; init; }

    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;

    public string Model { get; init; } = string.Empty;

    /// <summary>A cost given by the source; null means "price it from the price table".</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>The price table's estimate when no cost was given (null when given, or when the model has no price).</summary>
    public decimal? EstimatedCostUsd { get; internal set; }

    public long? DurationMs { get; init; }

    public bool Success { get; init; } = true;

    /// <summary>This machine's name unless given; looked up when first read (per call at construction, it cost more than the rest of a call).</summary>
    public string Machine { get => machine ??= HostName.Current; init => machine = value; }

    private string? machine;

    public string? RequestId { get; init; }

    public string? MessageId { get; init; }

    /// <summary>Where the call came from, e.g. the file it was imported from.</summary>
    public string? Source { get; init; }
}
