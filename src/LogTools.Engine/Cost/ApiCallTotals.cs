namespace LogTools.Engine.Sessions;

/// <summary>
/// The Cost area's named queries over api_calls for other areas, so they join API-call totals without knowing the
/// table: a reader puts one in its FROM clause and stays one query (as fast as joining the table itself).
/// </summary>
internal static class ApiCallTotals
{
    /// <summary>A subquery of the calls and total tokens per worker (columns worker_id, calls, tokens); workers without calls have no row.</summary>
    public const string ByWorker = "(SELECT worker_id, count(*) AS calls, sum(tokens_total) AS tokens FROM api_calls WHERE worker_id IS NOT NULL GROUP BY worker_id)";
}
