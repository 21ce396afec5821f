namespace LogTools.Engine.Runs;

/// <summary>
/// Where a run's files live in the store: <c>runs/&lt;yyyy&gt;/&lt;mm&gt;/&lt;run_id&gt;/events.ndjson</c> (year and month
/// of its creation, UTC), <c>events.ndjson.gz</c> once compressed, and beside it <c>events.idx</c>: the byte offset of
/// every 1,000th event as pairs of little-endian 64-bit integers (sequence, offset), so a reader seeks instead of
/// scanning. The journal's own <c>.lock</c> and <c>.torn</c> files sit next to the log.
/// A run whose log outgrew the first half of its size cap keeps its newest events, while it is open, in a rolling tail
/// beside the log: <c>tail.ndjson</c>, the segment before it <c>tail.1.ndjson</c>, and in <c>tail.dropped</c> the bytes
/// of the segments dropped so far (one little-endian 64-bit integer). Completion folds the tail into the log.
/// </summary>
public static class RunLayout
{
    /// <summary>The store folder that holds every run's files.</summary>
    public const string Folder = "runs";

    public const string EventsFile = "events.ndjson";
    public const string CompressedSuffix = ".gz";
    public const string IndexFile = "events.idx";

    public const string TailFile = "tail.ndjson";
    public const string PreviousTailFile = "tail.1.ndjson";
    public const string DroppedFile = "tail.dropped";

    /// <summary>The size cap of a run's log when Start-LogRun is not given one: 256 MiB.</summary>
    public const long DefaultMaxLogBytes = 256L * 1024 * 1024;

    /// <summary>The smallest size cap a run accepts, so that the head and the tail each hold a useful number of events.</summary>
    public const long MinMaxLogBytes = 64 * 1024;

    /// <summary>Every this many events, the offset of one is indexed.</summary>
    public const int IndexStride = 1000;

    /// <summary>The store-relative path of a new run's log, with '/' separators.</summary>
    public static string RelativeEventsPath(string runId, DateTimeOffset createdAt) =>
        $"{Folder}/{createdAt.UtcDateTime:yyyy}/{createdAt.UtcDateTime:MM}/{runId}/{EventsFile}";

    /// <summary>The index file beside a run's log (plain or compressed).</summary>
    public static string IndexPath(string eventsPath) => Beside(eventsPath, IndexFile);

    /// <summary>A file of the run's folder, beside its log.</summary>
    public static string Beside(string eventsPath, string name) =>
        Path.Combine(Path.GetDirectoryName(eventsPath)!, name);
}
