namespace LogTools.Engine.Runs;

/// <summary>
/// Where a run's files live in the store: <c>runs/&lt;yyyy&gt;/&lt;mm&gt;/&lt;run_id&gt;/events.ndjson</c> (year and month
/// of its creation, UTC), <c>events.ndjson.gz</c> once compressed, and beside it <c>events.idx</c>: the byte offset of
/// every 1,000th event as pairs of little-endian 64-bit integers (sequence, offset), so a reader seeks instead of
/// scanning. The journal's own <c>.lock</c> and <c>.torn</c> files sit next to the log.
/// </summary>
public static class RunLayout
{
    /// <summary>The store folder that holds every run's files.</summary>
    public const string Folder = "runs";

    public const string EventsFile = "events.ndjson";
    public const string CompressedSuffix = ".gz";
    public const string IndexFile = "events.idx";

    /// <summary>Every this many events, the offset of one is indexed.</summary>
    public const int IndexStride = 1000;

    /// <summary>The store-relative path of a new run's log, with '/' separators.</summary>
    public static string RelativeEventsPath(string runId, DateTimeOffset createdAt) =>
        $"{Folder}/{createdAt.UtcDateTime:yyyy}/{createdAt.UtcDateTime:MM}/{runId}/{EventsFile}";

    /// <summary>The index file beside a run's log (plain or compressed).</summary>
    public static string IndexPath(string eventsPath) =>
        Path.Combine(Path.GetDirectoryName(eventsPath)!, IndexFile);
}
