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
    /// <summary>Calls per transaction: large enough to amortise the commit, small enough to keep memory flat.</summary>
    public const int BatchSize = 5000;

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
        foreach (var plan in plans)
        {
            if (plan.Unchanged)
            {
                yield return new HistoryFileImport { Path = plan.Path, Machine = options.Machine, Unchanged = true, StartOffset = plan.StartOffset };
                continue;
            }

            var write = options.ShouldWrite?.Invoke(plan.Path) ?? true;
            HistoryFileImport? result;
            try
            {
                result = ImportFile(plan, options, write, done, total);
            }
            catch (IOException e)
            {
                result = null;
                options.OnError?.Invoke(Unreadable(plan.Path, e));
            }
            catch (LogToolsException e)
            {
                result = null;
                options.OnError?.Invoke(e);
            }
            catch (UnauthorizedAccessException e)
            {
                result = null;
                options.OnError?.Invoke(Unreadable(plan.Path, e));
            }

            done += Math.Max(0, plan.Size - plan.StartOffset);
            if (result is not null)
            {
                yield return result;
            }
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

    private HistoryFileImport ImportFile(Plan plan, HistoryImportOptions options, bool write, long done, long total)
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
        var pending = new List<ApiCall>(Math.Min(BatchSize, 1024));
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
                    pending.Add(call!);
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
            if (pending.Count >= BatchSize)
            {
                Commit(pending, plan, reader.EndOffset, final: false, compressed, handle, write, result);
            }

            if (read >= nextProgress)
            {
                options.OnProgress?.Invoke(done + read, total, plan.Path);
                nextProgress = read + ProgressStep;
            }
        }

        result.BytesRead = reader.EndOffset - plan.StartOffset;
        Commit(pending, plan, reader.EndOffset, final: true, compressed, handle, write, result);
        options.OnProgress?.Invoke(done + result.BytesRead, total, plan.Path);
        return result;
    }

    // Writes the pending calls and the file's new state in one transaction. A part-way state has no size, so an
    // interrupted import resumes from its offset instead of taking the file for unchanged.
    private void Commit(List<ApiCall> pending, Plan plan, long endOffset, bool final, bool compressed, Microsoft.Win32.SafeHandles.SafeFileHandle handle, bool write, HistoryFileImport result)
    {
        if (!write)
        {
            pending.Clear();
            return;
        }

        var state = new HistoryFileState(
            plan.Path, result.Machine, final ? plan.Size : null, plan.Mtime, endOffset,
            compressed ? HistoryFileState.Compressed : HistoryFileState.FingerprintOf(handle, endOffset));
        if (pending.Count == 0)
        {
            _store.Database.Write(state.Save);
            return;
        }

        var added = _calls.Add(pending, state.Save);
        result.Imported += added.Added;
        result.Duplicates += added.Duplicates;
        pending.Clear();
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
}
