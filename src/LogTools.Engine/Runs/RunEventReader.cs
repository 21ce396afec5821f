using System.Buffers.Binary;
using LogTools.Engine.Journal;

namespace LogTools.Engine.Runs;

/// <summary>
/// Streams a run's log (plain or .gz) through <see cref="JournalReader"/> in constant memory: from a sequence (sought
/// through the offset index), filtered by type, its last N events, and, when following, the events other processes
/// append until run.completed. A broken line is reported with its line number and the rest is still read.
/// </summary>
public static class RunEventReader
{
    /// <summary>Reads the events of <paramref name="run"/> that <paramref name="query"/> selects into <paramref name="sink"/>.</summary>
    /// <param name="problem">Receives each defect found on the way (broken line, truncated .gz); reading goes on where it can.</param>
    public static void Read(LogRun run, RunEventQuery query, Action<RunEventLine> sink, Action<LogToolsException> problem, CancellationToken cancel)
    {
        if (query.FromSequence < 1)
        {
            throw new LogToolsException(
                "FromSequenceInvalid", ErrorKind.InvalidArgument, query.FromSequence,
                $"-FromSequence {query.FromSequence} is below 1; event sequences start at 1. Give 1 or more.");
        }

        if (run.LogMissing)
        {
            throw new LogToolsException(
                "RunLogMissing", ErrorKind.ObjectNotFound, run.EventsPath,
                $"The log of run '{run.RunId}' is missing: '{run.EventsPath}' was deleted or moved outside LogTools. " +
                "Restore the file, or remove the run with Remove-LogRun.");
        }

        var path = run.EventsPath;
        var (offset, lineBase) = File.Exists(path) ? Seek(path, query.FromSequence) : (0L, 0L);
        var tail = query.Tail is { } n ? new Queue<RunEventLine>(Math.Min(n, 4096)) : null;
        var completed = false;
        var first = true;
        while (true)
        {
            path = RunLedger.Existing(run.EventsPath);
            if (File.Exists(path) && (first || new FileInfo(path).Length > offset))
            {
                (offset, lineBase, completed) = Pass(run, path, offset, lineBase, query, line =>
                {
                    if (tail is null)
                    {
                        sink(line);
                        return;
                    }

                    if (tail.Count == query.Tail)
                    {
                        tail.Dequeue();
                    }

                    if (query.Tail > 0)
                    {
                        tail.Enqueue(line);
                    }
                }, problem, !query.Follow || run.IsCompleted);
            }

            if (first && tail is not null)
            {
                foreach (var line in tail)
                {
                    sink(line);
                }

                tail = null;
            }

            first = false;
            if (!query.Follow || completed || run.IsCompleted || cancel.WaitHandle.WaitOne(query.PollInterval))
            {
                return;
            }
        }
    }

    /// <summary>The offset to start reading at for <paramref name="fromSequence"/>, and the line number before it.</summary>
    private static (long Offset, long LineBase) Seek(string eventsPath, long fromSequence)
    {
        var slot = fromSequence / RunLayout.IndexStride - 1;
        var indexPath = RunLayout.IndexPath(eventsPath);
        if (slot < 0 || !File.Exists(indexPath))
        {
            return (0, 0);
        }

        using var index = new FileStream(indexPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        Span<byte> entry = stackalloc byte[16];
        for (slot = Math.Min(slot, index.Length / 16 - 1); slot >= 0; slot--)
        {
            index.Position = slot * 16;
            index.ReadExactly(entry);
            var sequence = BinaryPrimitives.ReadInt64LittleEndian(entry);
            var offset = BinaryPrimitives.ReadInt64LittleEndian(entry[8..]);
            // An entry of a writer that crashed before flushing may point past the end or at another event: verify it.
            if (sequence <= fromSequence && At(eventsPath, offset) == sequence)
            {
                return (offset, sequence - 1);
            }
        }

        return (0, 0);
    }

    private static long? At(string eventsPath, long offset)
    {
        try
        {
            using var reader = JournalReader.Open(RunLedger.Existing(eventsPath), new JournalReadOptions { StartOffset = offset, ValidateJson = false });
            foreach (var entry in reader.ReadEntries())
            {
                return entry.Status == JournalEntryStatus.Ok ? RunEnvelope.Read(entry.Utf8.Span, withPayload: false)?.Sequence : null;
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            // the offset is not at a line start: the index is stale
        }

        return null;
    }

    private static (long Offset, long LineBase, bool Completed) Pass(
        LogRun run, string path, long offset, long lineBase, RunEventQuery query, Action<RunEventLine> sink, Action<LogToolsException> problem, bool final)
    {
        var completed = false;
        var lines = lineBase;
        var done = lineBase; // the last line read whole, where the next pass counts on from
        using var reader = JournalReader.Open(path, new JournalReadOptions { StartOffset = offset, ValidateJson = false });
        try
        {
            foreach (var entry in reader.ReadEntries())
            {
                lines = lineBase + entry.LineNumber;
                if (entry.Status == JournalEntryStatus.Torn && !final)
                {
                    break; // still being written: read again once complete
                }

                if (entry.Status == JournalEntryStatus.Torn && reader.IsCompressed)
                {
                    break; // a compressed log is complete: a torn end means the file was cut short, reported below
                }

                var envelope = entry.Status == JournalEntryStatus.Ok ? RunEnvelope.Read(entry.Utf8.Span, withPayload: false) : null;
                if (envelope is not { } e)
                {
                    problem(new LogToolsException(
                        "RunEventLineInvalid", ErrorKind.InvalidData, $"{path}:{lines}",
                        $"Line {lines} of the log of run '{run.RunId}' ('{path}', offset {entry.Offset}) is not a run event " +
                        $"({entry.Problem ?? "no sequence or type"}); it was skipped and the rest was read."));
                    done = lines;
                    continue;
                }

                completed |= e.Type == RunEventTypes.Completed;
                if (e.Sequence >= query.FromSequence && (query.TypeMatch is null || query.TypeMatch(e.Type!)))
                {
                    sink(new RunEventLine(run.RunId, lines, entry.GetString(), e));
                }

                done = lines;
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            problem(Truncated(run, path, done, ex));
            return (reader.EndOffset, done, true);
        }

        // Only completed runs are compressed, so a compressed log that stops before run.completed was cut short
        // (GZipStream ends quietly at a truncated member).
        if (reader.IsCompressed && !completed)
        {
            problem(Truncated(run, path, done, null));
            return (reader.EndOffset, done, true);
        }

        return (reader.EndOffset, done, completed);
    }

    private static LogToolsException Truncated(LogRun run, string path, long lines, Exception? inner) => new(
        "RunLogTruncated", ErrorKind.InvalidData, path,
        $"The compressed log of run '{run.RunId}' ('{path}') is damaged or truncated after line {lines}{(inner is null ? "" : ": " + inner.Message)}. " +
        "The events before that point were read; restore the file from a backup to read the rest.", inner);
}
