using System.Buffers;
using System.Buffers.Binary;
using LogTools.Engine.Journal;

namespace LogTools.Engine.Runs;

/// <summary>
/// Streams a run's log (plain or .gz) through <see cref="JournalReader"/> in constant memory: from a sequence (sought
/// through the offset index), filtered by type, its last N events, and, when following, the events other processes
/// append until run.completed. A broken line is reported with its line number and the rest is still read.
/// The rolling tail of a capped run that is still open (see <see cref="RunLayout"/>) is read after the log, so the
/// reader sees the head, a gap in the sequences, and the newest events; the log.truncated marker appears at completion.
/// Each line handed to the sink is valid during that call only (see <see cref="RunEventLine"/>).
/// </summary>
public static class RunEventReader
{
    // The reads of a completed log known to be its writer's: few system calls, the buffers pooled, and small enough
    // for a read to still be in the cache when its lines are scanned (4 MiB reads were slower). A longer line than
    // the reserve (a huge payload) leaves the rest of the log to the full check.
    private const int WrittenReadBytes = 512 << 10;
    private const int WrittenLineBytes = 1 << 20;

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
        var cursor = new Cursor(new RunEventLine(run.RunId));
        (cursor.Offset, cursor.LineBase) = File.Exists(path) ? Seek(path, query.FromSequence) : (0L, 0L);
        var tail = query.Tail is { } n ? new Queue<RunEventLine>(Math.Min(n, 4096)) : null;
        var completed = false;
        var first = true;
        // Without -Tail each line goes straight to the sink, without a call in between.
        var to = tail is null ? sink : Collect;
        void Collect(RunEventLine line)
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
                tail.Enqueue(line.Keep());
            }
        }

        while (true)
        {
            path = RunLedger.Existing(run.EventsPath);
            if (File.Exists(path) && (first || new FileInfo(path).Length > cursor.Offset))
            {
                completed = (first && WrittenPass(run, path, cursor, query, to))
                    || Pass(run, path, cursor, query, to, problem, !query.Follow || run.IsCompleted);
            }

            if (!completed)
            {
                ReadTail(run, cursor, query, to, problem);
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

    private static bool Pass(
        LogRun run, string path, Cursor cursor, RunEventQuery query, Action<RunEventLine> sink, Action<LogToolsException> problem, bool final)
    {
        var completed = false;
        var lineBase = cursor.LineBase;
        var lines = lineBase;
        var done = lineBase; // the last line read whole, where the next pass counts on from
        // A first pass reads the whole log: large reads; a follower's later passes read what was just appended.
        var buffer = (int)Math.Clamp(new FileInfo(path).Length - cursor.Offset, 4096, 1 << 20);
        using var reader = JournalReader.Open(path, new JournalReadOptions { StartOffset = cursor.Offset, ValidateJson = false, BufferBytes = buffer });
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
                // Events already read from the rolling tail come again once completion folds it into the log.
                if (e.Sequence > cursor.TailSequence)
                {
                    Deliver(run, query, sink, cursor.Line.Next(lines, entry.Utf8, e.Sequence, e.Type!), cursor);
                }

                done = lines;
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
        {
            problem(Truncated(run, path, done, ex));
            completed = true;
        }

        // Only completed runs are compressed, so a compressed log that stops before run.completed was cut short
        // (GZipStream ends quietly at a truncated member).
        if (reader.IsCompressed && !completed)
        {
            problem(Truncated(run, path, done, null));
            completed = true;
        }

        cursor.Offset = reader.EndOffset;
        cursor.LineBase = done;
        return completed;
    }

    /// <summary>
    /// Reads a completed run's log that is still the file its writer completed: the length and last-write time recorded
    /// at completion. Our writer's lines are well formed by construction, so each line's sequence and type are read at
    /// their fixed places (<see cref="RunEnvelopeScan.ReadWrittenHead"/>), with the sequences' continuity, instead of the
    /// full check of every byte; the line's end is searched for after its head, so each byte is looked at once. Large reads, each made on another core while this one hands on the lines of the one
    /// before; no copy but the partial line at a read's end. At the first line that does not fit (an edit that kept the
    /// length and time), it stops there and leaves the rest to <see cref="Pass"/>, which checks it all and reports what
    /// is broken.
    /// </summary>
    /// <returns>True when it read the whole log (run.completed included); false when the log is some other file, or at the line it stopped at.</returns>
    private static bool WrittenPass(LogRun run, string path, Cursor cursor, RunEventQuery query, Action<RunEventLine> sink)
    {
        if (!run.IsCompleted || run.EventsWritten is not { } written || path.EndsWith(RunLayout.CompressedSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(handle);
        if (length != run.EventsBytes || File.GetLastWriteTimeUtc(handle).Ticks != written)
        {
            return false;
        }

        // Two buffers: while this thread hands on the lines of one, the next read fills the other on another core. Each
        // read lands after a reserve, where the partial line that ended the previous read is put in front of it.
        var chunk = (int)Math.Clamp(length - cursor.Offset, 4096, WrittenReadBytes);
        var reserve = (int)Math.Clamp(length - cursor.Offset, 4096, WrittenLineBytes);
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(reserve + chunk), ArrayPool<byte>.Shared.Rent(reserve + chunk)];
        Task<int>? ahead = null;
        try
        {
            var next = cursor.Offset; // where the next read starts in the file
            var expected = next == 0 ? 1L : 0L; // after a seek, the line sought is verified already: its sequence is taken
            var lines = cursor.LineBase;
            var completed = false;
            var carry = 0;
            RunEnvelope.KnownType? known = null; // the previous line's type
            var read = RandomAccess.Read(handle, buffers[0].AsSpan(reserve, chunk), next);
            for (var current = 0; ; current = 1 - current)
            {
                var buffer = buffers[current];
                var origin = next - reserve; // the file offset of buffer[0]
                next += read;
                if (read == chunk)
                {
                    var (other, from) = (buffers[1 - current], next);
                    ahead = Task.Run(() => RandomAccess.Read(handle, other.AsSpan(reserve, chunk), from));
                }

                var start = reserve - carry;
                var end = reserve + read;
                while (true)
                {
                    // The line's head first, then its end searched for from there: each byte is looked at once.
                    var text = buffer.AsSpan(start, end - start);
                    var head = RunEnvelopeScan.ReadWrittenHead(text, known is null ? default : known.Utf8, out var sequence, out var typeUtf8, out var same);
                    var newline = text[Math.Max(head, 0)..].IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        break;
                    }

                    newline += Math.Max(head, 0);
                    string? type = null;
                    if (head >= 0 && text[newline - 1] == '}')
                    {
                        known = same ? known : RunEnvelope.Known(typeUtf8);
                        type = known!.Text;
                    }
                    else if (Checked(text[..newline]) is { } whole)
                    {
                        (sequence, type) = (whole.Sequence, whole.Type);
                    }

                    if (type is null || (expected != 0 && !RunEnvelope.Continues(expected, sequence, type)))
                    {
                        (cursor.Offset, cursor.LineBase) = (origin + start, lines);
                        return false;
                    }

                    expected = sequence + 1;
                    completed |= type == RunEventTypes.Completed;
                    Deliver(run, query, sink, cursor.Line.Next(++lines, buffer.AsMemory(start, newline), sequence, type), cursor);
                    start += newline + 1;
                }

                // The end: every line whole, or a last line without its newline (left to Pass, which reports it).
                // A line longer than the reserve is left to Pass too.
                carry = end - start;
                if (read == 0 || carry > reserve)
                {
                    (cursor.Offset, cursor.LineBase) = (origin + start, lines);
                    return carry == 0 && read == 0 && completed;
                }

                buffer.AsSpan(start, carry).CopyTo(buffers[1 - current].AsSpan(reserve - carry));
                read = ahead?.GetAwaiter().GetResult() ?? RandomAccess.Read(handle, buffers[1 - current].AsSpan(reserve, chunk), next);
                ahead = null;
            }
        }
        finally
        {
            // A read still filling a buffer must end before the buffer goes back to the pool.
            if (ahead is not null)
            {
                ((IAsyncResult)ahead).AsyncWaitHandle.WaitOne();
            }

            ArrayPool<byte>.Shared.Return(buffers[0]);
            ArrayPool<byte>.Shared.Return(buffers[1]);
        }
    }

    // A line the writer writes in another shape (an escaped type) is checked whole, as Pass would check it.
    private static RunEnvelope? Checked(ReadOnlySpan<byte> line) =>
        line is [.., (byte)'}'] && JournalLine.Check(line, validateJson: false, out _, out _) == JournalEntryStatus.Ok
            ? RunEnvelope.Read(line, withPayload: false)
            : null;

    private static void Deliver(LogRun run, RunEventQuery query, Action<RunEventLine> sink, RunEventLine line, Cursor cursor)
    {
        cursor.LastSequence = Math.Max(cursor.LastSequence, line.Sequence);
        if (line.Sequence >= query.FromSequence && (query.TypeMatch is null || query.TypeMatch(line.Type)))
        {
            sink(line);
        }
    }

    // The rolling tail: the previous segment when it holds events not read yet (first read, or a rotation since), then
    // the current segment, from where the last pass stopped when it is still the same segment.
    private static void ReadTail(LogRun run, Cursor cursor, RunEventQuery query, Action<RunEventLine> sink, Action<LogToolsException> problem)
    {
        var previous = RunLayout.Beside(run.EventsPath, RunLayout.PreviousTailFile);
        var current = RunLayout.Beside(run.EventsPath, RunLayout.TailFile);
        try
        {
            if (File.Exists(previous) && new FileInfo(previous).Length is > 0 and var length
                && RunEventWriter.LastSequenceOf(previous, length) > cursor.LastSequence)
            {
                ReadSegment(run, previous, 0, cursor, query, sink, problem);
            }

            if (File.Exists(current))
            {
                var first = RunEventWriter.FirstSequenceOf(current);
                var start = first == cursor.TailFirst ? cursor.TailOffset : 0;
                cursor.TailOffset = ReadSegment(run, current, start, cursor, query, sink, problem);
                cursor.TailFirst = first;
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or ArgumentOutOfRangeException)
        {
            // rotated or folded while being read: the next pass reads it where it is now
            cursor.TailOffset = 0;
        }
    }

    private static long ReadSegment(
        LogRun run, string path, long offset, Cursor cursor, RunEventQuery query, Action<RunEventLine> sink, Action<LogToolsException> problem)
    {
        using var reader = JournalReader.Open(path, new JournalReadOptions { StartOffset = offset, ValidateJson = false });
        foreach (var entry in reader.ReadEntries())
        {
            if (entry.Status == JournalEntryStatus.Torn)
            {
                break; // still being written
            }

            if ((entry.Status == JournalEntryStatus.Ok ? RunEnvelope.Read(entry.Utf8.Span, withPayload: false) : null) is not { } e)
            {
                problem(new LogToolsException(
                    "RunEventLineInvalid", ErrorKind.InvalidData, $"{path}:{entry.LineNumber}",
                    $"Line {entry.LineNumber} of the rolling tail of run '{run.RunId}' ('{path}') is not a run event " +
                    $"({entry.Problem ?? "no sequence or type"}); it was skipped and the rest was read."));
                continue;
            }

            if (e.Sequence > cursor.LastSequence)
            {
                Deliver(run, query, sink, cursor.Line.Next(entry.LineNumber, entry.Utf8, e.Sequence, e.Type!), cursor);
                cursor.TailSequence = e.Sequence;
            }
        }

        return reader.EndOffset;
    }

    /// <summary>Where a reader stands in a run's log and its rolling tail, from one pass to the next.</summary>
    private sealed class Cursor(RunEventLine line)
    {
        /// <summary>The object each line is handed on in.</summary>
        public RunEventLine Line { get; } = line;

        public long Offset { get; set; }

        /// <summary>The number of the last line read whole.</summary>
        public long LineBase { get; set; }

        /// <summary>The highest sequence read so far.</summary>
        public long LastSequence { get; set; }

        /// <summary>The highest sequence read from the rolling tail.</summary>
        public long TailSequence { get; set; }

        public long TailOffset { get; set; }

        /// <summary>The first sequence of the current tail segment when it was last read (another one after a rotation).</summary>
        public long TailFirst { get; set; }
    }

    private static LogToolsException Truncated(LogRun run, string path, long lines, Exception? inner) => new(
        "RunLogTruncated", ErrorKind.InvalidData, path,
        $"The compressed log of run '{run.RunId}' ('{path}') is damaged or truncated after line {lines}{(inner is null ? "" : ": " + inner.Message)}. " +
        "The events before that point were read; restore the file from a backup to read the rest.", inner);
}
