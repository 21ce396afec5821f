namespace LogTools.Engine.Sessions;

/// <summary>Compares the spend of the current day or month (local calendar of a zone) with a limit.</summary>
public static class ApiBudget
{
    /// <summary>Refuses a negative limit; callers check it before they open a store, so a bad argument is reported as such.</summary>
    public static void CheckLimit(decimal limit)
    {
        if (limit < 0)
        {
            throw new LogToolsException("BudgetLimitNegative", ErrorKind.InvalidArgument, limit, $"The budget limit {limit} is negative. Give a limit in USD of 0 or more.");
        }
    }

    public static ApiBudgetStatus Check(ApiCostReport report, decimal limit, CalendarUnit period, TimeZoneInfo zone, DateTimeOffset now)
    {
        CheckLimit(limit);
        var calendar = new CalendarPeriod(period, zone);
        var start = calendar.StartOf(now);
        var end = calendar.Next(start);
        var total = report.Run(start, end, ApiCostGroup.None, zone)[0];
        return new ApiBudgetStatus
        {
            Period = calendar.Label(start),
            Start = calendar.Local(start),
            End = calendar.Local(end),
            Spent = total.KnownCostUsd,
            Limit = limit,
            Calls = total.Calls,
            UnpricedCalls = total.UnpricedCalls,
        };
    }

    /// <summary>The error a caller reports when <paramref name="status"/> is over its limit (Test-ApiBudget -ErrorOnExceeded).</summary>
    public static LogToolsException Exceeded(ApiBudgetStatus status) => new(
        "BudgetExceeded", ErrorKind.LimitExceeded, status,
        $"API spend {status.Spent:0.00##} USD in {status.Period} exceeds the budget of {status.Limit:0.00##} USD.");
}
