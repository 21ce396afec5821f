using LogTools.Engine.Journal;
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

    private const long ProgressStep = 1 << 20;

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
    /// Imports <paramref name="files"/> (full paths; duplicates ignored), yielding each file's result as soon as it
    /// is done. Unreadable files are reported through <see cref="HistoryImportOptions.OnError"/> and skipped.
    /// </summary>
    public IEnumerable<HistoryFileImport> Import(IEnumerable<string> files, HistoryImportOptions options)
    {
        var states = HistoryFileState.Load(_store.Database, options.Machine);
        var plans = new List<Plan>();
        foreach (var path in files.Distinct(StringComparer.Ordinal))
        {
            if (PlanFile(path, states.GetValueOrDefault(path), options) is { } plan)
            {
                plans.Add(plan);
            }
        }

        var total = plans.Sum(p => p.Unchanged ? 0 : Math.Max(0, p.Size - p.StartOffset));
        long done = 0;
        var batch = new Batch();
        foreach (var plan in plans)
        {
            if (plan.Unchanged)
            {
                batch.Waiting.Add(new HistoryFileImport { Path = plan.Path, Machine = options.Machine, Unchanged = true, StartOffset = plan.StartOffset });
            }
            else
            {
                var write = options.ShouldWrite?.Invoke(plan.Path) ?? true;
                batch.FileStart = batch.Calls.Count;
                try
                {
                    if (ImportFile(plan, options, write, done, total, batch) is { } imported)
                    {
                        batch.Waiting.Add(imported);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or LogToolsException)
                {
                    // What this file added since its last committed state is dropped; the next import resumes from there.
                    batch.Calls.RemoveRange(batch.FileStart, batch.Calls.Count - batch.FileStart);
                    batch.Owners.RemoveRange(batch.FileStart, batch.Owners.Count - batch.FileStart);
                    options.OnError?.Invoke(e as LogToolsException ?? Unreadable(plan.Path, e));
                }

                done += Math.Max(0, plan.Size - plan.StartOffset);
            }

            // Small files share a transaction; a file's result is yielded once its calls and state are committed.
            if (batch.Calls.Count >= BatchSize || batch.States.Count == 0)
            {
                Flush(batch, options);
            }

            foreach (var result in batch.Ready)
            {
                yield return result;
            }

            batch.Ready.Clear();
        }

        Flush(batch, options);
        foreach (var result in batch.Ready)
        {
            yield return result;
        }
    }

    private static Plan? PlanFile(string path, HistoryFileState? state, HistoryImportOptions options)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                options.OnError?.Invoke(PathNotFound(path));
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
                && HistoryFileState.FingerprintOf(handle, state.EndOffset) == state.Fingerprint;
            return appended
                ? new Plan(path, size, mtime, state.EndOffset, Unchanged: false, Restarted: false)
                : new Plan(path, size, mtime, 0, Unchanged: false, Restarted: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            options.OnError?.Invoke(Unreadable(path, e));
            return null;
        }
    }

    private HistoryFileImport? ImportFile(Plan plan, HistoryImportOptions options, bool write, long done, long total, Batch batch)
    {
        var result = new HistoryFileImport
        {
            Path = plan.Path, Machine = options.Machine, Restarted = plan.Restarted, WhatIf = !write, StartOffset = plan.StartOffset,
        };
        using var handle = File.OpenHandle(plan.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var compressed = HistoryFileState.IsCompressed(handle);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        // The parser validates each line as it reads it, so the reader only checks UTF-8.
        using var reader = new JournalReader(stream, new JournalReadOptions { StartOffset = plan.StartOffset, ValidateJson = false }, leaveOpen: true);
        var nextProgress = ProgressStep;
        foreach (var entry in reader.ReadEntries())
        {
            if (entry.Status == JournalEntryStatus.Torn)
            {
                result.TornTail = true;
                break;
            }

            result.Lines++;
            ApiCall? call = null;
            string? defect = null;
            var kind = entry.Status == JournalEntryStatus.Ok
                ? HistoryLineParser.Parse(entry.Utf8.Span, options.Machine, plan.Path, out call, out defect)
                : HistoryLineKind.Malformed;
            if (kind == HistoryLineKind.ApiCall && Invalid(call!) is { } refused)
            {
                kind = HistoryLineKind.Malformed;
                defect = "is a call the store refuses: " + refused;
            }

            switch (kind)
            {
                case HistoryLineKind.ApiCall:
                    result.Calls++;
                    if (write)
                    {
                        batch.Calls.Add(call!);
                        batch.Owners.Add(result);
                    }

                    break;
                case HistoryLineKind.Other:
                    result.Skipped++;
                    break;
                default:
                    result.Malformed++;
                    result.FirstProblem ??= entry.Problem ?? $"Line {entry.LineNumber} at offset {entry.Offset} {defect}.";
                    break;
            }

            var read = reader.EndOffset - plan.StartOffset;
            if (batch.Calls.Count >= BatchSize)
            {
                // A part-way state has no size, so an interrupted import resumes from its offset instead of taking
                // the file for unchanged.
                batch.States.Add(State(plan, options.Machine, reader.EndOffset, final: false, compressed, handle));
                batch.FileStart = 0;
                if (!Flush(batch, options))
                {
                    return null; // reported; the file's state stays where it was, so nothing is skipped next time
                }
            }

            if (read >= nextProgress)
            {
                options.OnProgress?.Invoke(done + read, total, plan.Path);
                nextProgress = read + ProgressStep;
            }
        }

        result.BytesRead = reader.EndOffset - plan.StartOffset;
        if (write)
        {
            batch.States.Add(State(plan, options.Machine, reader.EndOffset, final: true, compressed, handle));
        }

        options.OnProgress?.Invoke(done + result.BytesRead, total, plan.Path);
        return result;
    }

    private static HistoryFileState State(Plan plan, string machine, long endOffset, bool final, bool compressed, Microsoft.Win32.SafeHandles.SafeFileHandle handle) => new(
        plan.Path, machine, final ? plan.Size : null, plan.Mtime, endOffset,
        compressed ? HistoryFileState.Compressed : HistoryFileState.FingerprintOf(handle, endOffset));

    /// <summary>
    /// Writes the batch's calls and file states in one transaction, counts each call as imported or duplicate in
    /// its file's result, and moves the finished files' results to <see cref="Batch.Ready"/>. When the write
    /// fails (false), the error is reported and those files' results are dropped: their states were not saved, so
    /// the next import reads them again.
    /// </summary>
    private bool Flush(Batch batch, HistoryImportOptions options)
    {
        var failed = false;
        if (batch.States.Count > 0)
        {
            var states = batch.States.ToArray();
            void Save(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction)
            {
                foreach (var state in states)
                {
                    state.Save(connection, transaction);
                }
            }

            try
            {
                if (batch.Calls.Count == 0)
                {
                    _store.Database.Write(Save);
                }
                else
                {
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
            }
            catch (LogToolsException e)
            {
                failed = true;
                options.OnError?.Invoke(e);
            }
        }

        batch.Ready.AddRange(failed ? batch.Waiting.Where(r => r.Unchanged || r.WhatIf) : batch.Waiting);
        batch.Waiting.Clear();
        batch.Calls.Clear();
        batch.Owners.Clear();
        batch.States.Clear();
        return !failed;
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
            return e.Message;
        }
    }

    private static LogToolsException Unreadable(string path, Exception e) => new(
        "HistoryFileUnreadable", ErrorKind.ReadError, path,
        $"The log file '{path}' could not be read ({e.Message}). Check that it exists and that you may read it; the other files were imported.", e);

    private sealed record Plan(string Path, long Size, string Mtime, long StartOffset, bool Unchanged, bool Restarted);

    /// <summary>What the next transaction writes: calls (with the result each is counted in) and file states.</summary>
    private sealed class Batch
    {
        public List<ApiCall> Calls { get; } = new(BatchSize);

        public List<HistoryFileImport> Owners { get; } = new(BatchSize);

        public List<HistoryFileState> States { get; } = [];

        /// <summary>Where the file being read started adding calls (after the batch's last write).</summary>
        public int FileStart { get; set; }

        /// <summary>Finished files whose calls and states are in this batch.</summary>
        public List<HistoryFileImport> Waiting { get; } = [];

        /// <summary>Results committed (or with nothing to commit), to yield.</summary>
        public List<HistoryFileImport> Ready { get; } = [];
    }
}
