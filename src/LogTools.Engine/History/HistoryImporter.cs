using System.Collections.Concurrent;
using LogTools.Engine.Store;

namespace LogTools.Engine.Sessions;

/// <summary>
/// Imports API calls from JSONL logs (Claude Code project logs, LogTools worker logs; see
/// <see cref="HistoryLineParser"/>) into api_calls, so reports keep the history after the logs are deleted.
/// Each file is read from where its last import stopped; an unchanged file is not opened; the per-file state is
/// committed in the same transaction as the calls it covers, so an interrupted import neither loses nor duplicates.
/// </summary>
public sealed class HistoryImporter
{
    /// <summary>Calls per transaction (small files share one): large enough to amortise the commit and the
    /// aggregation, small enough to keep memory flat.</summary>
    public const int BatchSize = 10_000;

    /// <summary>Calls that make a batch worth handing off to a writer with nothing to do: so that writing starts
    /// after the first thousand calls instead of the first <see cref="BatchSize"/>, and the last batch is small.</summary>
    public const int MinBatchSize = 1_000;

    private readonly LogStore _store;
    private readonly ApiCallStore _calls;

    public HistoryImporter(LogStore store)
    {
        _store = store;
        _calls = new ApiCallStore(store);
    }

    /// <summary>
    /// Where Claude Code keeps its project logs, as ccusage looks for them: <c>&lt;dir&gt;/projects</c> for each
    /// comma-separated folder in CLAUDE_CONFIG_DIR when it is set, otherwise <c>~/.config/claude/projects</c> and
    /// <c>~/.claude/projects</c>. Only existing folders are returned.
    /// </summary>
    /// <exception cref="LogToolsException">HistoryPathNotFound: none of them exists.</exception>
    public static IReadOnlyList<string> DefaultFolders(string? claudeConfigDir, string home)
    {
        var candidates = string.IsNullOrWhiteSpace(claudeConfigDir)
            ? [Path.Combine(home, ".config", "claude", "projects"), Path.Combine(home, ".claude", "projects")]
            : claudeConfigDir.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(d => Path.Combine(d, "projects")).ToArray();
        var found = candidates.Where(Directory.Exists).ToList();
        return found.Count > 0 ? found : throw PathNotFound(string.Join(", ", candidates));
    }

    /// <summary>The logs under <paramref name="folder"/> and its subfolders (*.jsonl, *.jsonl.gz), in ordinal order.</summary>
    public static IEnumerable<string> FilesIn(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive };
        return Directory.EnumerateFiles(folder, "*.jsonl", options)
            .Concat(Directory.EnumerateFiles(folder, "*.jsonl.gz", options))
            .Order(StringComparer.Ordinal);
    }

    /// <summary>The error for an import path that matches no file or folder.</summary>
    public static LogToolsException PathNotFound(string path) => new(
        "HistoryPathNotFound", ErrorKind.ObjectNotFound, path,
        $"No log file or folder matches '{path}'. Check the path, or pass the folder that holds the .jsonl logs.");

    /// <summary>
    /// Imports <paramref name="files"/> and writes each file's result to <paramref name="sink"/> as an output object,
    /// then the totals (a <see cref="HistoryImportSummary"/>); a file with malformed lines is also a warning.
    /// </summary>
    public void Run(IEnumerable<string> files, HistoryImportOptions options, IEngineSink sink)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var summary = new HistoryImportSummary();
        foreach (var result in Import(files, options, sink))
        {
            if (result.Malformed > 0)
            {
                sink.Warning($"{result.Malformed} malformed line(s) in '{result.Path}' were skipped; the first: {result.FirstProblem}");
            }

            sink.Verbose($"{result.Path}: {(result.Unchanged ? "unchanged" : $"{result.Imported} imported, {result.Duplicates} already stored, {result.BytesRead} bytes read")}");
            summary.Add(result);
            sink.Output(result);
        }

        summary.Duration = clock.Elapsed;
        sink.Output(summary);
    }

    /// <summary>
    /// Imports <paramref name="files"/> (full paths; duplicates ignored), yielding each file's result in order once its
    /// calls and state are committed. Unreadable files are reported to <paramref name="sink"/> and skipped; a failed
    /// write is reported once and ends the import (what was committed stays consistent). The sink is asked once per
    /// file that has something to read, before anything is written for it: a "no" (-WhatIf) reads and counts but
    /// writes nothing. A stop (the sink's token) ends the import between lines: batches already handed off are
    /// written whole, the one being filled is dropped, and each file's recorded offset covers only what was written.
    /// </summary>
    public IEnumerable<HistoryFileImport> Import(IEnumerable<string> files, HistoryImportOptions options, IEngineSink sink)
    {
        var states = HistoryFileState.Load(_store.Database, options.Machine);
        var plans = new List<Plan>();
        foreach (var path in files.Distinct(StringComparer.Ordinal))
        {
            if (PlanFile(path, states.GetValueOrDefault(path), sink) is not { } plan)
            {
                continue;
            }

            // Before anything opens it: opening a FIFO waits for a writer, for ever in a folder of logs. Asked only of a
            // file to be read (one that was read before is a regular file), so a re-import of unchanged logs costs no more.
            if (!plan.Unchanged && Statx.SpecialFileKind(path) is { } kind)
            {
                sink.Error(NotRegular(path, kind));
                continue;
            }

            plans.Add(plan);
        }

        var total = plans.Sum(p => p.Unchanged ? 0 : Math.Max(0, p.Size - p.StartOffset));
        long done = 0;
        // Files are read and parsed on worker threads, taken in here in order into batches, and the batches written
        // on another thread; the callbacks (progress, errors, questions) all run on this one.
        using var writer = new Writer(this, sink.CancellationToken);
        using var ahead = new HistoryParseAhead(
            [.. plans.Where(p => !p.Unchanged).Select(p => new HistoryFileImport { Path = p.Path, Machine = options.Machine, Restarted = p.Restarted, StartOffset = p.StartOffset })],
            options.Parsers,
            sink.CancellationToken);
        foreach (var plan in plans)
        {
            sink.CancellationToken.ThrowIfCancellationRequested();
            var batch = writer.Current;
            if (plan.Unchanged)
            {
                batch.Waiting.Add(new HistoryFileImport { Path = plan.Path, Machine = options.Machine, Unchanged = true, StartOffset = plan.StartOffset });
            }
            else
            {
                var write = sink.ShouldProcess(plan.Path, "Import API calls");
                batch.FileStart = batch.Calls.Count;
                try
                {
                    // Not writer.Current.Waiting.Add(ImportFile(...)): the file may hand off batches while it is read.
                    var imported = ImportFile(plan, ahead.Next(), sink, write, done, total, writer);
                    writer.Current.Waiting.Add(imported);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or LogToolsException)
                {
                    // What this file added since its last handed-off state is dropped; the next import resumes from there.
                    batch = writer.Current;
                    batch.Calls.RemoveRange(batch.FileStart, batch.Calls.Count - batch.FileStart);
                    batch.Owners.RemoveRange(batch.FileStart, batch.Owners.Count - batch.FileStart);
                    sink.Error(e as LogToolsException ?? Unreadable(plan.Path, e));
                }

                done += Math.Max(0, plan.Size - plan.StartOffset);
            }

            // Small files share a transaction; a file's result is yielded once its calls and state are committed.
            if (writer.Full(writer.Current))
            {
                writer.HandOff();
            }

            foreach (var result in writer.Ready(sink))
            {
                yield return result;
            }

            if (writer.Failed)
            {
                yield break;
            }
        }

        writer.HandOff();
        writer.Finish();
        foreach (var result in writer.Ready(sink))
        {
            yield return result;
        }

        // A stop that came after the last line still ends the import as stopped (the writer dropped what it had not
        // begun); the tidy is only for an import that wrote all it read, not after a failed write or a stop.
        sink.CancellationToken.ThrowIfCancellationRequested();
        if (writer.Wrote && !writer.Failed)
        {
            _store.Database.Tidy([.. CostMigrations.Area.Tables, .. HistoryImportMigrations.Area.Tables], sink.CancellationToken);
        }
    }

    private static Plan? PlanFile(string path, HistoryFileState? state, IEngineSink sink)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                sink.Error(PathNotFound(path));
                return null;
            }

            var size = info.Length;
            var mtime = StoreTime.ToText(info.LastWriteTimeUtc);
            if (state is null)
            {
                return new Plan(path, size, mtime, 0, Unchanged: false, Restarted: false);
            }

            if (state.Size == size && state.Mtime == mtime)
            {
                return new Plan(path, size, mtime, state.EndOffset, Unchanged: true, Restarted: false);
            }

            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var appended = state.Fingerprint != HistoryFileState.Compressed
                && size >= state.EndOffset
                && state.Continues(handle);
            return appended
                ? new Plan(path, size, mtime, state.EndOffset, Unchanged: false, Restarted: false)
                : new Plan(path, size, mtime, 0, Unchanged: false, Restarted: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            sink.Error(Unreadable(path, e));
            return null;
        }
    }

    // Takes in one file's parts as the workers parse them: its calls join the batch being filled, which is handed off
    // (with the file's state so far) whenever it is full.
    private static HistoryFileImport ImportFile(Plan plan, (HistoryFileImport Result, IEnumerable<HistoryParseAhead.Part> Parts) file, IEngineSink sink, bool write, long done, long total, Writer writer)
    {
        var (result, parts) = file;
        result.WhatIf = !write;
        var batch = writer.Current;
        foreach (var part in parts)
        {
            part.Error?.Throw();
            if (write)
            {
                foreach (var call in part.Calls)
                {
                    batch.Calls.Add(call);
                    batch.Owners.Add(result);
                }
            }

            result.BytesRead = part.EndOffset - plan.StartOffset;
            if (write && part.Last)
            {
                batch.States.Add(State(plan, result.Machine, part, final: true));
            }
            else if (write && writer.Full(batch))
            {
                // A part-way state has no size, so an interrupted import resumes from its offset instead of taking
                // the file for unchanged. Never for a file the sink said no to: its calls are not in the batch.
                batch.States.Add(State(plan, result.Machine, part, final: false));
                batch = writer.HandOff();
            }

            Report(sink, done + result.BytesRead, total, plan.Path);
        }

        return result;
    }

    private static void Report(IEngineSink sink, long done, long total, string path) =>
        sink.Progress(new EngineProgress("Importing API call history", string.Empty, done, total) { CurrentOperation = path, Bytes = true });

    private static HistoryFileState State(Plan plan, string machine, HistoryParseAhead.Part part, bool final) =>
        new(plan.Path, machine, final ? plan.Size : null, plan.Mtime, part.EndOffset, part.Fingerprint);

    /// <summary>Writes one batch's calls and file states in one transaction and counts each call in its file's result.</summary>
    private void Write(Batch batch)
    {
        if (batch.States.Count == 0)
        {
            return;
        }

        void Save(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction)
        {
            foreach (var state in batch.States)
            {
                state.Save(connection, transaction);
            }
        }

        if (batch.Calls.Count == 0)
        {
            _store.Database.Write(Save);
            return;
        }

        _calls.Add(batch.Calls, Save);
        for (var i = 0; i < batch.Calls.Count; i++)
        {
            if (batch.Calls[i].CallId is null)
            {
                batch.Owners[i].Duplicates++;
            }
            else
            {
                batch.Owners[i].Imported++;
            }
        }
    }

    private static LogToolsException Unreadable(string path, Exception e) => new(
        "HistoryFileUnreadable", ErrorKind.ReadError, path,
        $"The log file '{path}' could not be read ({e.Message}). Check that it exists and that you may read it; the other files were imported.", e);

    /// <summary>
    /// The error for a gzip log that cannot be decompressed to its end (<paramref name="inner"/> is null when it ends in
    /// the middle of a line, as a cut-short one does: GZipStream ends there without complaint). Its reading stops as
    /// a plain file's that fails part-way does.
    /// </summary>
    internal static LogToolsException Damaged(string path, long offset, InvalidDataException? inner) => new(
        "HistoryFileUnreadable", ErrorKind.InvalidData, path,
        inner is null
            ? $"The gzip log '{path}' ends in the middle of a line, after its last whole line at byte {offset} of its content: it was cut short, or is still being written. "
                + "Replace it with a complete copy, or import it once it is written; until then each import reports it again. The other files were imported."
            : $"The gzip log '{path}' is damaged: its compressed data is corrupt or fails its checksum after its last whole line, at byte {offset} of its content. "
                + "Replace it with an intact copy, or move it out of the imported folder; until then each import reports it again. The other files were imported.",
        inner);

    private static LogToolsException NotRegular(string path, string kind) => new(
        "HistoryFileNotRegular", ErrorKind.ReadError, path,
        $"'{path}' is {kind}, not a regular file, so it was not opened (reading it could wait for ever). "
            + "Move it out of the imported folder, or give it a name that does not end in .jsonl; the other files were imported.");

    private sealed record Plan(string Path, long Size, string Mtime, long StartOffset, bool Unchanged, bool Restarted);

    /// <summary>What the next transaction writes: calls (with the result each is counted in) and file states.</summary>
    private sealed class Batch
    {
        public List<ApiCall> Calls { get; } = new(BatchSize + HistoryParseAhead.PartCalls);

        public List<HistoryFileImport> Owners { get; } = new(BatchSize + HistoryParseAhead.PartCalls);

        public List<HistoryFileState> States { get; } = [];

        /// <summary>Where the file being read started adding calls (after the batch's last write).</summary>
        public int FileStart { get; set; }

        /// <summary>Finished files whose calls and states are in this batch.</summary>
        public List<HistoryFileImport> Waiting { get; } = [];

        /// <summary>True when the write failed, or was not tried after an earlier batch's failure.</summary>
        public bool Failed { get; set; }

        /// <summary>True when its calls and states are committed: not after a failure, nor when a stop dropped it.</summary>
        public bool Written { get; set; }
    }

    /// <summary>
    /// Writes handed-off batches in order on one background thread, at most one waiting behind the one being
    /// written, so taking parts in runs ahead by one batch and memory stays flat. After a failed write it writes nothing
    /// more: a later batch may hold the same file's later state, which must not be saved without the rows before it.
    /// </summary>
    private sealed class Writer : IDisposable
    {
        private readonly BlockingCollection<Batch> queue = new(boundedCapacity: 1);
        private readonly ConcurrentQueue<Batch> written = new();
        private readonly Task task;
        private Exception? failure;
        private int inFlight;

        // Batches handed off and not yet written (or dropped), counted on both threads.
        private int unwritten;

        /// <param name="cancellation">After a stop, the batch being written is finished and queued ones are dropped whole.</param>
        public Writer(HistoryImporter importer, CancellationToken cancellation)
        {
            task = Task.Factory.StartNew(() =>
            {
                // The import is one bulk load (the WAL checkpointed once at its end, not after each batch), begun by the
                // first batch that writes, so an import that writes nothing (-WhatIf, nothing new) touches nothing.
                IDisposable? bulkLoad = null;
                try
                {
                    foreach (var batch in queue.GetConsumingEnumerable())
                    {
                        if (Volatile.Read(ref failure) is null && !cancellation.IsCancellationRequested)
                        {
                            try
                            {
                                bulkLoad ??= batch.States.Count > 0 ? importer._store.Database.BulkLoad() : null;
                                importer.Write(batch);
                                Wrote |= bulkLoad is not null;
                                batch.Written = true;
                            }
                            catch (Exception e)
                            {
                                // Never let the thread die: the importer would wait on the queue for ever.
                                Volatile.Write(ref failure, e);
                            }
                        }

                        batch.Failed = Volatile.Read(ref failure) is not null;
                        written.Enqueue(batch);
                        Interlocked.Decrement(ref unwritten);
                    }
                }
                finally
                {
                    bulkLoad?.Dispose();
                }
            }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }

        /// <summary>The batch being filled.</summary>
        public Batch Current { get; private set; } = new();

        /// <summary>True once a batch was written (the bulk load began); read after <see cref="Finish"/>.</summary>
        public bool Wrote { get; private set; }

        /// <summary>True once a write failed and <see cref="Ready"/> has reported it.</summary>
        public bool Failed { get; private set; }

        /// <summary>
        /// Whether <paramref name="batch"/> should be handed off now: at <see cref="BatchSize"/> calls, or at
        /// <see cref="MinBatchSize"/> when the writer would otherwise wait. Parsing and writing then overlap from the
        /// start, and the batches grow only as far as the writer falls behind.
        /// </summary>
        public bool Full(Batch batch) =>
            batch.Calls.Count >= BatchSize || (batch.Calls.Count >= MinBatchSize && Volatile.Read(ref unwritten) == 0);

        /// <summary>Queues the current batch for writing (waiting while another is queued) and starts a new one.</summary>
        public Batch HandOff()
        {
            if (Current.States.Count > 0 || inFlight > 0)
            {
                inFlight++;
                Interlocked.Increment(ref unwritten);
                queue.Add(Current);
                Current = new Batch();
            }

            return Current;
        }

        /// <summary>Waits until every handed-off batch is written.</summary>
        public void Finish()
        {
            queue.CompleteAdding();
            task.Wait();
        }

        /// <summary>
        /// The results whose calls and states are committed, in order; a failed write is reported once, and its
        /// files' results are dropped (their states were not saved, so the next import reads them again), as are
        /// those of a batch a stop dropped.
        /// </summary>
        public List<HistoryFileImport> Ready(IEngineSink sink)
        {
            var ready = new List<HistoryFileImport>();
            while (written.TryDequeue(out var batch))
            {
                inFlight--;
                if (batch.Failed && !Failed)
                {
                    Failed = true;
                    // A store error is reported like any other; anything else is a defect and goes up as before.
                    if (failure is LogToolsException storeError)
                    {
                        sink.Error(storeError);
                    }
                    else
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure!);
                    }
                }

                ready.AddRange(batch.Written ? batch.Waiting : batch.Waiting.Where(r => r.Unchanged || r.WhatIf));
            }

            // With nothing being written, results that need no write go out at once.
            if (inFlight == 0 && Current.States.Count == 0)
            {
                ready.AddRange(Current.Waiting);
                Current.Waiting.Clear();
            }

            return ready;
        }

        public void Dispose()
        {
            // An abandoned enumeration still waits for the write in progress, so nothing is written after it returns.
            if (!queue.IsAddingCompleted)
            {
                queue.CompleteAdding();
            }

            task.Wait();
            queue.Dispose();
        }
    }
}
