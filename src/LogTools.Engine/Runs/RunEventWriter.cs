using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using LogTools.Engine.Journal;
using LogTools.Engine.Store;

namespace LogTools.Engine.Runs;

/// <summary>
/// Appends events to one run's log through a <see cref="JournalWriter"/> (whole lines, torn tail repaired on open),
/// numbering them on from the last sequence in the file, and indexing every 1,000th event's offset. While it is
/// open it holds the journal's lock, so writers in other processes wait: sequences never repeat and lines never
/// interleave. Buffered lines reach the file every 1,024 events (or 64 KiB) and on <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// Size cap: once the log holds half of the run's cap, further events go to a rolling tail (see <see cref="RunLayout"/>):
/// segments of a quarter of the cap each, the older one dropped when a new one starts, so the run's files never hold
/// much more than the cap. <see cref="FoldTail"/> (at completion) appends one log.truncated marker for the dropped
/// events, then the kept tail, to the log.
/// </remarks>
public sealed class RunEventWriter : IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JournalWriterOptions DurableOptions = new() { FlushPolicy = JournalFlushPolicy.EveryRecords(1024) };
    private static readonly JournalWriterOptions BatchOptions = new() { FlushPolicy = JournalFlushPolicy.EveryRecords(1024), FlushToDiskOnDispose = false };

    private readonly JournalWriter journal;
    private readonly string runId;
    private readonly long maxLogBytes;
    private readonly JournalWriterOptions options;
    private readonly ArrayBufferWriter<byte> line = new(512);
    private ArrayBufferWriter<byte> to;
    private readonly Utf8JsonWriter json;
    private readonly FileStream index;
    private readonly JsonEncodedText runIdText;
    private long lastMillisecond;
    private byte[] timeBytes = [];
    private string? lastType;
    private byte[] typeBytes = [];
    private JournalWriter? tail;
    private long previousTailBytes;
    private long headSequence;
    private bool folded;

    private RunEventWriter(JournalWriter journal, string runId, long maxLogBytes, JournalWriterOptions options)
    {
        this.journal = journal;
        this.runId = runId;
        this.maxLogBytes = maxLogBytes;
        this.options = options;
        json = new Utf8JsonWriter(line, JsonOptions);
        to = line;
        runIdText = JsonEncodedText.Encode(runId, JsonOptions.Encoder);
        index = new FileStream(RunLayout.IndexPath(journal.Path), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>The sequence of the last event written (0 for an empty log), in the log or its rolling tail.</summary>
    public long LastSequence { get; private set; }

    /// <summary>The bytes of the log and its rolling tail, including buffered lines.</summary>
    public long Length => journal.Length + (tail?.Length ?? 0) + previousTailBytes;

    /// <summary>The torn last line the journal moved aside on open, or null.</summary>
    public JournalRepair? Repair => journal.Repair;

    /// <summary>
    /// Opens the run's log for appending, waiting up to <paramref name="wait"/> (default 30 s) for another writer.
    /// </summary>
    public static RunEventWriter Open(string eventsPath, string runId, TimeSpan? wait = null) =>
        Open(eventsPath, runId, RunLayout.DefaultMaxLogBytes, wait);

    /// <summary>
    /// Opens the run's log for appending with a size cap of <paramref name="maxLogBytes"/>, waiting up to
    /// <paramref name="wait"/> (default 30 s) for another writer.
    /// </summary>
    public static RunEventWriter Open(string eventsPath, string runId, long maxLogBytes, TimeSpan? wait = null) =>
        Open(eventsPath, runId, maxLogBytes, durable: true, wait);

    /// <param name="durable">
    /// False for a batch that more batches follow: <see cref="Dispose"/> then hands the lines to the operating system
    /// without forcing them to disk.
    /// </param>
    internal static RunEventWriter Open(string eventsPath, string runId, long maxLogBytes, bool durable, TimeSpan? wait = null)
    {
        var options = durable ? DurableOptions : BatchOptions;
        var deadline = Stopwatch.StartNew();
        var limit = wait ?? TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                var journal = JournalWriter.Open(eventsPath, options);
                RunEventWriter? writer = null;
                try
                {
                    writer = new RunEventWriter(journal, runId, maxLogBytes, options);
                    writer.Resume();
                    return writer;
                }
                catch
                {
                    if (writer is null)
                    {
                        journal.Dispose();
                    }
                    else
                    {
                        writer.Dispose();
                    }

                    throw;
                }
            }
            catch (JournalInUseException) when (deadline.Elapsed < limit)
            {
                Thread.Sleep(2);
            }
            catch (JournalInUseException ex)
            {
                throw new LogToolsException(
                    "RunLogBusy", ErrorKind.ResourceBusy, runId,
                    $"The log of run '{runId}' stayed locked by another writer for {limit.TotalSeconds:0} s. Try again when that writer is done.", ex);
            }
            catch (NotSupportedException ex)
            {
                throw new LogToolsException(
                    "RunLogCompressed", ErrorKind.InvalidOperation, runId,
                    $"The log of run '{runId}' is compressed; a compressed log takes no more events. Nothing was written.", ex);
            }
        }
    }

    /// <summary>Appends one event with the next sequence number and returns that number.</summary>
    public long Append(NewRunEvent e)
    {
        var sequence = LastSequence + 1;
        Write(e, sequence);
        LastSequence = sequence;
        return sequence;
    }

    /// <summary>
    /// Moves the rolling tail, if the log has one, back into the log: first one log.truncated marker when events were
    /// dropped between the head and the kept tail, then the kept events. From then on every event goes to the log,
    /// whatever its size (Complete-LogRun's run.completed). Safe to repeat after a crash half-way: events already
    /// moved are not moved twice, and the marker is written once.
    /// </summary>
    public void FoldTail()
    {
        folded = true;
        if (tail is null)
        {
            return;
        }

        tail.Dispose();
        tail = null;
        var segments = new[] { Beside(RunLayout.PreviousTailFile), Beside(RunLayout.TailFile) }.Where(File.Exists).ToList();
        var firstKept = segments.Select(FirstSequenceOf).FirstOrDefault(s => s > 0);
        if (firstKept > headSequence + 1)
        {
            Write(TruncatedMarker(headSequence + 1, firstKept - 1, ReadDropped()), firstKept - 1);
        }

        foreach (var segment in segments)
        {
            foreach (var entry in JournalReader.Read(segment, new JournalReadOptions { ValidateJson = false }))
            {
                if (entry.Status == JournalEntryStatus.Ok && RunEnvelope.Read(entry.Utf8.Span, withPayload: false) is { } e && e.Sequence > headSequence)
                {
                    Write(entry.Utf8.Span, e.Sequence);
                }
            }
        }

        journal.Flush(toDisk: true);
        previousTailBytes = 0;
        foreach (var name in new[] { RunLayout.PreviousTailFile, RunLayout.TailFile, RunLayout.TailFile + ".lock", RunLayout.DroppedFile })
        {
            File.Delete(Beside(name));
        }
    }

    /// <summary>The sequence of the first event in a log file; 0 when it has none.</summary>
    internal static long FirstSequenceOf(string path)
    {
        foreach (var entry in JournalReader.Read(path, new JournalReadOptions { ValidateJson = false }))
        {
            if (entry.Status == JournalEntryStatus.Ok && RunEnvelope.Read(entry.Utf8.Span, withPayload: false) is { } e)
            {
                return e.Sequence;
            }
        }

        return 0;
    }

    // The envelope is written from cached bytes (the time per millisecond, the type and run id while they repeat);
    // only the sequence and the payload are formatted per event, the payload as its own JSON object. A text-only
    // event that surely stays below half the cap is built straight in the journal's buffer (it cannot fail half-way);
    // any other is built apart first, to measure it against the cap or to write its payload with the JSON writer.
    private void Write(NewRunEvent e, long sequence)
    {
        e = WellFormed(e);
        var direct = e.PayloadJson is null && (folded || (tail is null && journal.Length + MaxTextLineBytes(e) < maxLogBytes / 2));
        line.ResetWrittenCount();
        to = direct ? journal.BuildBuffer : line;
        var start = to.WrittenCount;
        var millisecond = e.Time.UtcTicks / TimeSpan.TicksPerMillisecond;
        if (millisecond != lastMillisecond || timeBytes.Length == 0)
        {
            lastMillisecond = millisecond;
            timeBytes = Encoding.UTF8.GetBytes($",\"time\":\"{StoreTime.ToText(e.Time)}\"");
        }

        if (e.Type != lastType)
        {
            lastType = e.Type;
            typeBytes = [.. ",\"type\":\""u8, .. JsonEncodedText.Encode(e.Type, JsonOptions.Encoder).EncodedUtf8Bytes, .. "\",\"run_id\":\""u8, .. runIdText.EncodedUtf8Bytes, .. "\",\"payload\":"u8];
        }

        // The envelope up to the payload in one span: one size check for the whole of it.
        var head = to.GetSpan(32 + timeBytes.Length + typeBytes.Length);
        "{\"sequence\":"u8.CopyTo(head);
        Utf8Formatter.TryFormat(sequence, head[12..], out var digits);
        timeBytes.CopyTo(head[(12 + digits)..]);
        typeBytes.CopyTo(head[(12 + digits + timeBytes.Length)..]);
        to.Advance(12 + digits + timeBytes.Length + typeBytes.Length);
        if (e.PayloadJson is null)
        {
            PutTextPayload(e);
        }
        else
        {
            json.Reset(line);
            WritePayload(json, e);
            json.Flush();
            Put("}"u8);
        }
        if (direct)
        {
            Indexed(journal.CommitBuilt(start), sequence);
        }
        else
        {
            Write(line.WrittenSpan, sequence);
        }
    }

    // A string with a lone UTF-16 surrogate (possible in .NET and PowerShell strings) has no UTF-8 form, and the JSON
    // encoder refuses it, half-way through a line built in the journal's buffer: it is written with U+FFFD in its
    // place, as Encoding.UTF8 and System.Text.Json's serializer write it, so the event is kept.
    private static NewRunEvent WellFormed(NewRunEvent e)
    {
        static bool Lone(string? text) => text is not null && text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;
        static string? Replaced(string? text) => Lone(text) ? Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text!)) : text;
        return Lone(e.Type) || Lone(e.Message) || Lone(e.Stream)
            ? new NewRunEvent { Type = Replaced(e.Type)!, Time = e.Time, Message = Replaced(e.Message), Severity = e.Severity, Stream = Replaced(e.Stream), PayloadJson = e.PayloadJson }
            : e;
    }

    // An upper bound of a text-only event's line: each UTF-16 unit takes at most 6 bytes escaped (\uXXXX); the
    // constant covers the field names, sequence, time and severity.
    private long MaxTextLineBytes(NewRunEvent e) =>
        512 + 6L * (e.Type.Length + runId.Length + (e.Message?.Length ?? 0) + (e.Stream?.Length ?? 0));

    // Most events (console lines) carry text only: written as UTF-8 straight away, escaped (with the same encoder as
    // the JSON writer's) only when the text needs it; then the ends of the payload and of the envelope.
    private void PutTextPayload(NewRunEvent e)
    {
        var first = true;
        PutText(ref first, "\"message\":\""u8, e.Message);
        PutText(ref first, "\"severity\":\""u8, e.Severity?.ToString().ToLowerInvariant());
        PutText(ref first, "\"stream\":\""u8, e.Stream);
        Put(first ? "{}}"u8 : "}}"u8);
    }

    // One field: its separator (the payload's '{' for the first), its quoted name, and its text in quotes.
    private void PutText(ref bool first, ReadOnlySpan<byte> quotedName, string? value)
    {
        if (value is null)
        {
            return;
        }

        var span = to.GetSpan(2 + quotedName.Length + Encoding.UTF8.GetMaxByteCount(value.Length));
        span[0] = first ? (byte)'{' : (byte)',';
        first = false;
        quotedName.CopyTo(span[1..]);
        var at = 1 + quotedName.Length;
        var count = Encoding.UTF8.GetBytes(value, span[at..]);
        if (JsonOptions.Encoder!.FindFirstCharacterToEncodeUtf8(span.Slice(at, count)) < 0)
        {
            span[at + count] = (byte)'"';
            to.Advance(at + count + 1);
        }
        else
        {
            to.Advance(at);
            Put(JsonEncodedText.Encode(value, JsonOptions.Encoder).EncodedUtf8Bytes);
            Put("\""u8);
        }
    }

    private void Put(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(to.GetSpan(bytes.Length));
        to.Advance(bytes.Length);
    }

    // The line goes to the log while it holds less than half the cap (or once folded), else to the rolling tail.
    private void Write(ReadOnlySpan<byte> bytes, long sequence)
    {
        if (!folded && (tail is not null || journal.Length + bytes.Length + 1 > maxLogBytes / 2))
        {
            if (tail is null)
            {
                // Readers take the log before the tail: the log's last lines must be in the file before the tail's first.
                journal.Flush();
                tail = JournalWriter.Open(Beside(RunLayout.TailFile), BatchOptions);
            }
            else if (tail.Length > 0 && tail.Length + bytes.Length + 1 > maxLogBytes / 4)
            {
                Rotate();
            }

            tail!.AppendBuilt(bytes);
            return;
        }

        Indexed(journal.AppendBuilt(bytes), sequence);
    }

    // Every IndexStride-th event of the log gets its offset in the index, so readers seek instead of scanning.
    private void Indexed(long offset, long sequence)
    {
        headSequence = sequence;
        if (sequence % RunLayout.IndexStride == 0)
        {
            Span<byte> entry = stackalloc byte[16];
            BinaryPrimitives.WriteInt64LittleEndian(entry, sequence);
            BinaryPrimitives.WriteInt64LittleEndian(entry[8..], offset);
            index.Write(entry);
        }
    }

    /// <summary>Hands buffered lines to the operating system.</summary>
    public void Flush()
    {
        journal.Flush();
        tail?.Flush();
    }

    /// <summary>Writes what is buffered (forced to disk unless opened for a batch that more follow) and releases the log's lock.</summary>
    public void Dispose()
    {
        try
        {
            // Segments are never forced to disk when they rotate (they may be dropped next), only here.
            if (tail is not null && options.FlushToDiskOnDispose)
            {
                try
                {
                    tail.Flush(toDisk: true);
                }
                catch (InvalidOperationException)
                {
                    // an earlier write to the segment failed and was reported; the next writer repairs its tail
                }
            }

            tail?.Dispose();
        }
        finally
        {
            try
            {
                journal.Dispose();
            }
            finally
            {
                index.Dispose();
                json.Dispose();
            }
        }
    }

    /// <summary>The sequence of the last complete line of a log, read from its end; 0 when empty.</summary>
    internal static long LastSequenceOf(string path, long length)
    {
        if (length == 0)
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var size = (int)Math.Min(length, 64 * 1024);
        while (true)
        {
            var buffer = new byte[size];
            stream.Position = length - size;
            stream.ReadExactly(buffer);
            var body = buffer.AsSpan(0, size - 1); // the last byte is the final newline
            var start = body.LastIndexOf((byte)'\n');
            if (start >= 0 || size == length)
            {
                var last = body[(start + 1)..];
                return RunEnvelope.Read(last, withPayload: false)?.Sequence ?? throw new LogToolsException(
                    "RunLogLastLineInvalid", ErrorKind.InvalidData, path,
                    $"The last line of the run log '{path}' is not a run event (no sequence or type); it was edited by hand. " +
                    "Fix or remove that line, then write again. Nothing was written.");
            }

            size = (int)Math.Min(length, 2L * size);
        }
    }

    private NewRunEvent TruncatedMarker(long first, long last, long droppedBytes) => new()
    {
        Type = RunEventTypes.Truncated,
        Time = DateTimeOffset.UtcNow,
        Severity = Sessions.LogEventSeverity.Warning,
        Message = $"{last - first + 1} event(s) ({droppedBytes} bytes), sequences {first} to {last}, were dropped: the log reached its size cap " +
            $"of {maxLogBytes} bytes. The events before this one and the last ones of the run are kept.",
        PayloadJson = $"{{\"dropped_events\":{last - first + 1},\"dropped_bytes\":{droppedBytes},\"first_sequence\":{first},\"last_sequence\":{last},\"max_log_bytes\":{maxLogBytes}}}",
    };

    // Finds where the log stands: the last sequence of the log, and of its rolling tail when it has one.
    private void Resume()
    {
        headSequence = LastSequenceOf(journal.Path, journal.Length);
        LastSequence = headSequence;
        var previous = Beside(RunLayout.PreviousTailFile);
        if (!File.Exists(Beside(RunLayout.TailFile)) && !File.Exists(previous))
        {
            return;
        }

        tail = JournalWriter.Open(Beside(RunLayout.TailFile), BatchOptions);
        previousTailBytes = File.Exists(previous) ? new FileInfo(previous).Length : 0;
        var last = tail.Length > 0 ? LastSequenceOf(tail.Path, tail.Length) : previousTailBytes > 0 ? LastSequenceOf(previous, previousTailBytes) : 0;
        LastSequence = Math.Max(headSequence, last);
    }

    // The current segment becomes the previous one; the previous one's bytes are counted as dropped first (so a crash
    // in between over-counts rather than forgets them).
    private void Rotate()
    {
        tail!.Dispose();
        tail = null;
        if (previousTailBytes > 0)
        {
            Span<byte> dropped = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(dropped, ReadDropped() + previousTailBytes);
            File.WriteAllBytes(Beside(RunLayout.DroppedFile), dropped.ToArray());
        }

        File.Move(Beside(RunLayout.TailFile), Beside(RunLayout.PreviousTailFile), overwrite: true);
        previousTailBytes = new FileInfo(Beside(RunLayout.PreviousTailFile)).Length;
        tail = JournalWriter.Open(Beside(RunLayout.TailFile), BatchOptions);
    }

    private long ReadDropped()
    {
        var path = Beside(RunLayout.DroppedFile);
        return File.Exists(path) && File.ReadAllBytes(path) is { Length: 8 } bytes ? BinaryPrimitives.ReadInt64LittleEndian(bytes) : 0;
    }

    private string Beside(string name) => RunLayout.Beside(journal.Path, name);

    private static void WritePayload(Utf8JsonWriter json, NewRunEvent e)
    {
        json.WriteStartObject();
        if (e.Message is not null)
        {
            json.WriteString("message"u8, e.Message);
        }

        if (e.Severity is { } severity)
        {
            json.WriteString("severity"u8, severity.ToString().ToLowerInvariant());
        }

        if (e.Stream is not null)
        {
            json.WriteString("stream"u8, e.Stream);
        }

        if (e.PayloadJson is not null)
        {
            using var document = JsonDocument.Parse(e.PayloadJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    property.WriteTo(json);
                }
            }
            else
            {
                json.WritePropertyName("value"u8);
                document.RootElement.WriteTo(json);
            }
        }

        json.WriteEndObject();
    }
}
