namespace LogTools.Engine.Sessions;

/// <summary>Spend in one budget period against its limit.</summary>
public sealed class ApiBudgetStatus
{
    /// <summary>The period: "2025-06-01" (Day) or "2025-06" (Month).</summary>
    public required string Period { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>USD spent in the period so far: given costs plus priced calls (unpriced calls count as nothing; see UnpricedCalls).</summary>
    public required decimal Spent { get; init; }

    public required decimal Limit { get; init; }

    /// <summary>Limit minus Spent; negative when the budget is exceeded.</summary>
    public decimal Remaining => Limit - Spent;

    /// <summary>True when Spent is more than Limit.</summary>
    public bool Exceeded => Spent > Limit;

    public required long Calls { get; init; }

    /// <summary>Calls of the period whose model has no price: their cost is not in Spent.</summary>
    public required long UnpricedCalls { get; init; }
}
