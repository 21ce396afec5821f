namespace LogTools.Engine.Sessions;

/// <summary>
/// One line of a cost report: the calls of one period or one key, their tokens and their cost.
/// CostUsd is null when any call of the line has no price (UnpricedCalls &gt; 0): a partial sum is never
/// shown as the cost; KnownCostUsd is always the sum of what is known (given costs and priced calls).
/// </summary>
public sealed class ApiCostRow : ApiTokens
{
    public required ApiCostGroup GroupBy { get; init; }

    /// <summary>The label of the rows of calls without a task, worker or session.</summary>
    public const string NoKey = "(none)";

    /// <summary>The period ("2025-06-01", "2025-W23", "2025-06") or the model, task, worker, session or machine (<see cref="NoKey"/> for calls without one); null for ungrouped totals.</summary>
    public string? Key { get; init; }

    /// <summary>Start of the period (or of the report's range), in the report's time zone.</summary>
    public DateTimeOffset? Start { get; init; }

    /// <summary>End (exclusive) of the period (or of the report's range), in the report's time zone.</summary>
    public DateTimeOffset? End { get; init; }

    public long Calls { get; init; }

    /// <summary>USD: given costs plus priced calls; null when some calls are unpriced.</summary>
    public decimal? CostUsd => UnpricedCalls == 0 ? KnownCostUsd : null;

    /// <summary>USD of the calls whose cost is known (given by the source or priced from the table).</summary>
    public decimal KnownCostUsd { get; init; }

    /// <summary>Calls without a given cost whose model has no price.</summary>
    public long UnpricedCalls { get; init; }
}
