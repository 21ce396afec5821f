namespace LogTools.Engine.Ports;

/// <summary>
/// Independent per-port work (reading port.yml files, summing folders) on two threads ahead of the step that needs it
/// in order; a failure is kept with its item, for that step to report in its order, as if the work had been done there.
/// </summary>
internal static class PortParallel
{
    public static (T? Value, Exception? Error)[] Map<TItem, T>(IReadOnlyList<TItem> items, Func<TItem, T> work, CancellationToken cancellationToken)
        where T : class
    {
        var results = new (T?, Exception?)[items.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Min(2, Environment.ProcessorCount), CancellationToken = cancellationToken };
        Parallel.For(0, items.Count, parallel, i =>
        {
            try
            {
                results[i] = (work(items[i]), null);
            }
            catch (Exception ex)
            {
                results[i] = (null, ex);
            }
        });
        cancellationToken.ThrowIfCancellationRequested();
        return results;
    }
}
