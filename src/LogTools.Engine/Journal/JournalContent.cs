namespace LogTools.Engine.Journal;

/// <summary>
/// Streams a journal's records as values for display and pipelines, in constant memory: JSON objects through a
/// caller's factory (so a host can build its own object type), arrays as object?[], integers as long, other numbers
/// as double. Defective lines come back as problems with a stable id, and reading goes on.
/// </summary>
public static class JournalContent
{
    /// <summary>Opens <paramref name="path"/> now (a missing or unreadable file throws here) and reads it as it is enumerated.</summary>
    /// <param name="path">Full path of a JSONL file, plain or gzip.</param>
    /// <param name="maxLineBytes">Longest line read; longer lines are problems.</param>
    /// <param name="raw">Return each line's text, checking only UTF-8, instead of its JSON value.</param>
    /// <param name="makeObject">Builds the value of a JSON object from its properties, in order.</param>
    /// <param name="worker">The worker whose recorded log file this is, or null for a path the user gave.</param>
    public static IEnumerable<JournalRecord> Read(
        string path, int maxLineBytes, bool raw, Func<IReadOnlyList<KeyValuePair<string, object?>>, object> makeObject, string? worker = null)
    {
        JournalReader reader;
        try
        {
            reader = JournalReader.Open(path, new JournalReadOptions { MaxLineBytes = maxLineBytes, ValidateJson = !raw });
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw worker is null ? NotFound(path, ex) : PointerNotFound(path, worker, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new LogToolsException(
                "LogFileUnreadable", ErrorKind.ReadError, path, $"The log file '{path}' cannot be read: {ex.Message}", ex);
        }

        return Enumerate(reader, path, raw, makeObject);
    }

    /// <summary>The error for a path the user gave that names no file.</summary>
    public static LogToolsException NotFound(string path, Exception? inner = null) => new(
        "FileNotFound", ErrorKind.ObjectNotFound, path, $"The file '{path}' does not exist. Check the path and the current location.", inner);

    /// <summary>The error for the log file a worker record points at when it is no longer there.</summary>
    private static LogToolsException PointerNotFound(string path, string worker, Exception inner) => new(
        "LogFileNotFound", ErrorKind.ObjectNotFound, path,
        $"The log file '{path}' of the worker '{worker}' does not exist (it was moved or deleted since it was recorded). " +
        $"Find where it went and record it again with Set-LogWorker -WorkerId {worker} -LogFile <path>; the store only keeps this pointer.", inner);

    private static IEnumerable<JournalRecord> Enumerate(
        JournalReader reader, string path, bool raw, Func<IReadOnlyList<KeyValuePair<string, object?>>, object> makeObject)
    {
        using (reader)
        {
            foreach (var entry in reader.ReadEntries())
            {
                if (entry.Status != JournalEntryStatus.Ok)
                {
                    yield return new JournalRecord(entry.LineNumber, null, Problem(path, entry));
                }
                else if (raw)
                {
                    yield return new JournalRecord(entry.LineNumber, entry.GetString(), null);
                }
                else
                {
                    using var document = entry.Parse();
                    yield return new JournalRecord(entry.LineNumber, JsonTree.Value(document.RootElement, makeObject), null);
                }
            }
        }
    }

    private static LogToolsException Problem(string path, JournalEntry entry)
    {
        var (id, advice) = entry.Status switch
        {
            JournalEntryStatus.Torn => ("JournalTornLine", "If its writer is still running, read again once the line is complete."),
            JournalEntryStatus.InvalidUtf8 => ("JournalInvalidUtf8", "The line was skipped; the lines around it were read."),
            JournalEntryStatus.InvalidJson => ("JournalInvalidJson", "The line was skipped; the lines around it were read."),
            _ => ("JournalLineTooLong", "Read it with a larger -MaxLineLength."),
        };
        return new LogToolsException(id, ErrorKind.InvalidData, $"{path}:{entry.LineNumber}", $"{path}: {entry.Problem} {advice}");
    }
}
