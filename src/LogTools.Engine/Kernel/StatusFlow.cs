namespace LogTools.Engine;

/// <summary>
/// The allowed steps of a task's or a worker's life. A step to the same status is no step (fields may still
/// change); any step not listed is refused with an error naming both ends and what is allowed instead.
/// </summary>
internal sealed class StatusFlow<TStatus>(string noun, string errorId, params (TStatus From, TStatus To)[] steps)
    where TStatus : struct, Enum
{
    public void Check(string id, TStatus from, TStatus to)
    {
        if (EqualityComparer<TStatus>.Default.Equals(from, to) || steps.Contains((from, to)))
        {
            return;
        }

        var next = steps.Where(s => EqualityComparer<TStatus>.Default.Equals(s.From, from)).Select(s => s.To.ToString()).ToList();
        var allowed = next.Count == 0 ? $"{from} is final" : $"from {from} it can only go to {string.Join(" or ", next)}";
        throw new LogToolsException(
            errorId, ErrorKind.InvalidOperation, id,
            $"The {noun} '{id}' cannot go from {from} to {to}: {allowed}. Nothing was changed.");
    }
}
