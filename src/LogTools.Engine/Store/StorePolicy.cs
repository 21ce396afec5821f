namespace LogTools.Engine.Store;

/// <summary>How long the store waits for other writers before it gives up with a clear error.</summary>
/// <param name="BusyTimeout">Total time one write may wait for the database lock, retries included.</param>
public sealed record StorePolicy(TimeSpan BusyTimeout)
{
    /// <summary>Long enough for a burst of scheduled tasks writing at the same minute.</summary>
    public static StorePolicy Default { get; } = new(TimeSpan.FromSeconds(60));
}
