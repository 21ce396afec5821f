using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using LogTools.Engine.Journal;

namespace LogTools.Engine.Sessions;

/// <summary>
/// Reads and parses an import's files on worker threads, ahead of the thread that fills the write batches, and hands
/// each file's calls back in <see cref="Part"/>s, file by file in the import's order; each file's counts go into its
/// result before its last part. Parsing costs more than writing on most logs (their bytes are mostly user and tool
/// entries), so it gets every core, while the order of the writes, and with it which copy of a duplicated call is
/// kept, stays that of the files.
/// </summary>
/// <remarks>
/// Memory stays bounded: a file is started only while fewer than twice the workers' number are waiting to be taken
/// in, and each holds at most <see cref="PartsAhead"/> parts of at most <see cref="PartCalls"/> calls; a file's queue
/// is made when it is started and let go once it is taken in.
/// </remarks>
internal sealed class HistoryParseAhead : IDisposable
{
    /// <summary>Calls that end a part, so a batch can be cut in the middle of a large file.</summary>
    public const int PartCalls = 1_000;

    /// <summary>Bytes read that end a part, so progress moves on through files with few calls.</summary>
    public const long PartBytes = 1 << 20;

    private const int PartsAhead = 8;

    private readonly Job[] jobs;
    private readonly SemaphoreSlim window;
    private readonly CancellationToken cancellation;
    private readonly CancellationTokenSource stop;
    private readonly Task[] workers;
    private int started = -1;
    private int taken = -1;

    /// <param name="files">The result of each file to read (its path, machine and start offset), in the import's order.</param>
    /// <param name="parsers">How many files are parsed at once (at least 1; never more than there are files).</param>
    /// <param name="cancellation">The import's stop: the workers end between lines.</param>
    public HistoryParseAhead(IReadOnlyList<HistoryFileImport> files, int parsers, CancellationToken cancellation)
    {
        jobs = files.Select(f => new Job(f)).ToArray();
        var count = Math.Clamp(parsers, 1, Math.Max(1, jobs.Length));
        window = new SemaphoreSlim(2 * count);
        this.cancellation = cancellation;
        // The workers' own stop: the import's, or this object's disposal (an import that ends early).
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        workers = jobs.Length == 0
            ? []
            : Enumerable.Range(0, count).Select(_ => Task.Factory.StartNew(Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
    }

    /// <summary>
    /// The next file's result (its counts set once its last part is taken) and its parts in order, as they are parsed,
    /// up to the one with <see cref="Part.Last"/> set (or <see cref="Part.Error"/>); a stop throws
    /// <see cref="OperationCanceledException"/> instead of ending them early. The previous file's parts not taken
    /// (after an exception in the middle of it) are dropped.
    /// </summary>
    public (HistoryFileImport Result, IEnumerable<Part> Parts) Next()
    {
        if (taken >= 0)
        {
            // Its worker may still be adding parts: wait for it, or a single worker would never start the next file.
            var previous = jobs[taken];
            foreach (var _ in previous.Parts.GetConsumingEnumerable(cancellation))
            {
            }

            previous.Close();
            window.Release();
        }

        var job = jobs[++taken];
        return (job.File, Parts(job));
    }

    /// <summary>Stops the workers (an import that ends early leaves files unread) and waits for them.</summary>
    public void Dispose()
    {
        stop.Cancel();
        Task.WaitAll(workers);
        window.Dispose();
        stop.Dispose();
    }

    private IEnumerable<Part> Parts(Job job)
    {
        // The import's own token, as the thread taking parts in is the import's: its stop is the one it throws.
        foreach (var part in job.Parts.GetConsumingEnumerable(cancellation))
        {
            yield return part;
            if (part.Last)
            {
                yield break;
            }
        }

        // The worker stopped before the end of the file: only a stop does that (its queue then ends without a last part).
        cancellation.ThrowIfCancellationRequested();
        throw new InvalidOperationException($"The parts of '{job.File.Path}' ended before its last one.");
    }

    private void Work()
    {
        var token = stop.Token;
        try
        {
            while (true)
            {
                window.Wait(token);
                var index = Interlocked.Increment(ref started);
                if (index >= jobs.Length)
                {
                    return;
                }

                Parse(jobs[index], token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped: the files not yet read stay for the next import.
        }
    }

    // One call per file, a loop over all its lines: compiled fully optimised at its first call
    // (AggressiveOptimization), not run as ReadyToRun code and then through tiering, which a fresh process's first
    // import never finishes (docs/performance.md, issue 16.1).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Parse(Job job, CancellationToken token)
    {
        var file = job.File;
        try
        {
            using var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var compressed = HistoryFileState.IsCompressed(handle);
            using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
            // The parser validates each line as it reads it, so the reader only checks UTF-8.
            using var reader = new JournalReader(stream, new JournalReadOptions { StartOffset = file.StartOffset, ValidateJson = false }, leaveOpen: true);
            var part = new Part();
            var partEnd = file.StartOffset + PartBytes;
            long lines = 0, calls = 0, skipped = 0, malformed = 0;
            string? firstProblem = null;
            var torn = false;
            try
            {
                foreach (var entry in reader.ReadEntries())
                {
                    token.ThrowIfCancellationRequested();
                    if (entry.Status == JournalEntryStatus.Torn)
                    {
                        torn = true;
                        break;
                    }

                    lines++;
                    ApiCall? call = null;
                    string? defect = null;
                    var kind = entry.Status == JournalEntryStatus.Ok
                        ? HistoryLineParser.Parse(entry.Utf8.Span, file.Machine, file.Path, out call, out defect)
                        : HistoryLineKind.Malformed;
                    if (kind == HistoryLineKind.ApiCall && Invalid(call!) is { } refused)
                    {
                        kind = HistoryLineKind.Malformed;
                        defect = "is a call the store refuses: " + refused;
                    }

                    switch (kind)
                    {
                        case HistoryLineKind.ApiCall:
                            calls++;
                            part.Calls.Add(call!);
                            break;
                        case HistoryLineKind.Other:
                            skipped++;
                            break;
                        default:
                            malformed++;
                            firstProblem ??= entry.Problem ?? $"Line {entry.LineNumber} at offset {entry.Offset} {defect}.";
                            break;
                    }

                    if (part.Calls.Count >= PartCalls || reader.EndOffset >= partEnd)
                    {
                        End(part, reader.EndOffset, compressed, handle);
                        job.Parts.Add(part, token);
                        part = new Part();
                        partEnd = reader.EndOffset + PartBytes;
                    }
                }
            }
            catch (InvalidDataException e) when (compressed)
            {
                // GZipStream's complaint about damaged data, made one that names the file and how far it could be read.
                throw HistoryImporter.Damaged(file.Path, reader.EndOffset, e);
            }

            if (torn && compressed)
            {
                // A gzip file is read whole again whenever it changes, so its torn last line is not one to wait for: it was cut short.
                throw HistoryImporter.Damaged(file.Path, reader.EndOffset, null);
            }

            End(part, reader.EndOffset, compressed, handle);
            part.Last = true;
            // Set before the last part is handed over, which publishes them to the thread that takes it in.
            (file.Lines, file.Calls, file.Skipped, file.Malformed, file.FirstProblem, file.TornTail) = (lines, calls, skipped, malformed, firstProblem, torn);
            job.Parts.Add(part, token);
        }
        catch (Exception e) when (!(e is OperationCanceledException && token.IsCancellationRequested))
        {
            // Whatever the file's reading threw is thrown again where the file is taken in, as if read there.
            job.Parts.Add(new Part { Last = true, Error = ExceptionDispatchInfo.Capture(e) }, token);
        }
        finally
        {
            job.Parts.CompleteAdding();
        }
    }

    private static void End(Part part, long endOffset, bool compressed, Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        part.EndOffset = endOffset;
        part.Fingerprint = compressed ? HistoryFileState.Compressed : HistoryFileState.FingerprintOf(handle, endOffset);
    }

    // The store refuses a whole batch for one invalid call (a timestamp in the future...): refuse just that line here.
    private static string? Invalid(ApiCall call)
    {
        try
        {
            ApiCallStore.Validate(call);
            return null;
        }
        catch (LogToolsException e)
        {
            return $"({e.ErrorId}) {e.Message}";
        }
    }

    /// <summary>Calls read from a stretch of a file, up to <see cref="EndOffset"/>.</summary>
    public sealed class Part
    {
        public List<ApiCall> Calls { get; } = [];

        /// <summary>Offset just past the part's last whole line: where a resumed import starts.</summary>
        public long EndOffset { get; set; }

        /// <summary>The file's fingerprint up to <see cref="EndOffset"/> (or the compressed marker).</summary>
        public string Fingerprint { get; set; } = string.Empty;

        public bool Last { get; set; }

        /// <summary>What reading the file threw; set on its last part only.</summary>
        public ExceptionDispatchInfo? Error { get; init; }
    }

    private sealed class Job(HistoryFileImport file)
    {
        private BlockingCollection<Part>? parts;

        public HistoryFileImport File { get; } = file;

        /// <summary>Made by whichever comes first, the worker that starts the file or the thread that takes it in.</summary>
        public BlockingCollection<Part> Parts => LazyInitializer.EnsureInitialized(ref parts, () => new BlockingCollection<Part>(PartsAhead));

        /// <summary>
        /// Lets the queue go once the file is taken in. Not disposed: its worker may still be inside CompleteAdding
        /// when the queue is seen complete, and it holds no handle (its semaphores' wait handles are never made).
        /// </summary>
        public void Close() => parts = null;
    }
}
