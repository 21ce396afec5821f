using System.Buffers;
using System.Buffers.Binary;
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
public sealed class RunEventWriter : IDisposable
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly JournalWriter journal;
    private readonly string runId;
    private readonly ArrayBufferWriter<byte> line = new(512);
    private readonly Utf8JsonWriter json;
    private readonly FileStream index;
    private DateTimeOffset lastTime;
    private JsonEncodedText? lastTimeText;

    private RunEventWriter(JournalWriter journal, string runId, long lastSequence)
    {
        this.journal = journal;
        this.runId = runId;
        LastSequence = lastSequence;
        json = new Utf8JsonWriter(line, JsonOptions);
        index = new FileStream(RunLayout.IndexPath(journal.Path), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    /// <summary>The sequence of the last event in the log (0 for an empty log).</summary>
    public long LastSequence { get; private set; }

    /// <summary>The log's length in bytes including buffered lines.</summary>
    public long Length => journal.Length;

    /// <summary>The torn last line the journal moved aside on open, or null.</summary>
    public JournalRepair? Repair => journal.Repair;

    /// <summary>
    /// Opens the run's log for appending, waiting up to <paramref name="wait"/> (default 30 s) for another writer.
    /// </summary>
    public static RunEventWriter Open(string eventsPath, string runId, TimeSpan? wait = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = wait ?? TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                var journal = JournalWriter.Open(eventsPath, new JournalWriterOptions { FlushPolicy = JournalFlushPolicy.EveryRecords(1024) });
                try
                {
                    return new RunEventWriter(journal, runId, LastSequenceOf(eventsPath, journal.Length));
                }
                catch
                {
                    journal.Dispose();
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
        line.ResetWrittenCount();
        json.Reset(line);
        json.WriteStartObject();
        json.WriteNumber("sequence"u8, sequence);
        if (e.Time != lastTime || lastTimeText is null)
        {
            // Events of one batch mostly share their millisecond: format it once.
            lastTime = e.Time;
            lastTimeText = JsonEncodedText.Encode(StoreTime.ToText(e.Time));
        }

        json.WriteString("time"u8, lastTimeText.Value);
        json.WriteString("type"u8, e.Type);
        json.WriteString("run_id"u8, runId);
        json.WritePropertyName("payload"u8);
        WritePayload(json, e);
        json.WriteEndObject();
        json.Flush();
        var offset = journal.Append(line.WrittenSpan);
        LastSequence = sequence;
        if (sequence % RunLayout.IndexStride == 0)
        {
            Span<byte> entry = stackalloc byte[16];
            BinaryPrimitives.WriteInt64LittleEndian(entry, sequence);
            BinaryPrimitives.WriteInt64LittleEndian(entry[8..], offset);
            index.Write(entry);
        }

        return sequence;
    }

    /// <summary>Hands buffered lines to the operating system.</summary>
    public void Flush() => journal.Flush();

    /// <summary>Writes what is buffered (forced to disk) and releases the log's lock.</summary>
    public void Dispose()
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
