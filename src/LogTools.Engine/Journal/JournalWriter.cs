using System.Buffers;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LogTools.Engine.Journal;

/// <summary>
/// Appends records to a JSONL/NDJSON journal: each record is one UTF-8 JSON value on one line ending in <c>\n</c>,
/// written whole. Not thread-safe: one thread appends at a time.
/// </summary>
/// <remarks>
/// <para>
/// Sharing: the journal is opened with <see cref="FileShare.Read"/> | <see cref="FileShare.Delete"/>, so readers can
/// read it while it is written. Only one writer may have a journal open: the writer holds an exclusive lock on the
/// empty file <c>&lt;journal&gt;.lock</c> beside it for its lifetime, and a second <see cref="Open"/>, from this or
/// another process, fails with <see cref="JournalInUseException"/>. A lock file is used because on Unix .NET's file
/// sharing modes only take shared advisory locks (a second writer would succeed) and byte-range locks are per
/// process; the lock file is left in place, since deleting it would let two writers lock two different files. The
/// operating system releases the lock when a writer's process dies.
/// </para>
/// <para>
/// Torn tail repair: a writer that crashed mid-line leaves bytes after the last <c>\n</c>. <see cref="Open"/> appends
/// them to the sidecar <c>&lt;journal&gt;.torn</c> as a JSON header line
/// (<c>{"journal":name,"offset":o,"length":n,"repairedAt":utc}</c>), then exactly <c>n</c> raw bytes, then <c>\n</c>;
/// forces the sidecar to disk; and only then truncates the journal to the last complete line (see
/// <see cref="Repair"/>). Nothing before the fragment is touched; a crash between the two steps at worst records the
/// same fragment twice in the sidecar.
/// </para>
/// </remarks>
public sealed class JournalWriter : IDisposable
{
    // Whole lines are written once this much is buffered, whatever the policy, so memory stays bounded.
    private const int BufferSize = 64 * 1024;

    // Linux and macOS/BSD values of EWOULDBLOCK, which .NET reports as the HResult of a sharing violation on Unix.
    private const int UnixWouldBlockLinux = 11;
    private const int UnixWouldBlockBsd = 35;
    private const int WindowsSharingViolation = 32;
    private const int WindowsLockViolation = 33;

    private readonly FileStream _lockFile;
    private readonly FileStream _stream;
    private readonly JournalWriterOptions _options;
    private readonly ArrayBufferWriter<byte> _pending = new(BufferSize);
    private readonly ArrayBufferWriter<byte> _serialized = new();
    private Utf8JsonWriter? _jsonWriter;
    private JsonSerializerOptions? _jsonWriterSource;
    private long _length;
    private int _pendingRecords;
    private long _firstPendingTimestamp;
    private Exception? _fault;
    private bool _disposed;

    private JournalWriter(string path, FileStream lockFile, FileStream stream, JournalRepair? repair, JournalWriterOptions options)
    {
        Path = path;
        _lockFile = lockFile;
        _stream = stream;
        Repair = repair;
        _options = options;
        _length = stream.Length;
    }

    /// <summary>The full path of the journal.</summary>
    public string Path { get; }

    /// <summary>The torn last line <see cref="Open"/> moved to the sidecar file, or null when the journal was intact.</summary>
    public JournalRepair? Repair { get; }

    /// <summary>The journal's length in bytes including buffered records: the offset the next record will get.</summary>
    public long Length => _length;

    /// <summary>
    /// Opens (or creates, with its parent folders) the journal at <paramref name="path"/> for appending, after
    /// repairing a torn last line. The path should be absolute: cmdlets resolve PowerShell paths before calling.
    /// </summary>
    /// <exception cref="JournalInUseException">Another writer has the journal open.</exception>
    /// <exception cref="NotSupportedException">The file is gzip-compressed; compressed journals are read-only.</exception>
    public static JournalWriter Open(string path, JournalWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        var lockFile = OpenShared(fullPath, fullPath + ".lock", FileShare.None);
        FileStream? stream = null;
        try
        {
            stream = OpenShared(fullPath, fullPath, FileShare.Read | FileShare.Delete);
            ThrowIfCompressed(stream, fullPath);
            var repair = RepairTornTail(stream, fullPath);
            stream.Seek(0, SeekOrigin.End);
            return new JournalWriter(fullPath, lockFile, stream, repair, options ?? new JournalWriterOptions());
        }
        catch
        {
            stream?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends one record given as UTF-8 JSON (one value, without the line terminator) and returns the byte offset
    /// where its line starts, for callers to store as a pointer.
    /// </summary>
    /// <exception cref="JournalFormatException">
    /// The record is empty, not valid UTF-8, contains a line break, or is not one well-formed JSON value; nothing
    /// was written.
    /// </exception>
    public long Append(ReadOnlySpan<byte> utf8Json)
    {
        Validate(utf8Json);
        return AppendBuilt(utf8Json);
    }

    /// <summary>
    /// Appends one record that the caller built itself with a <see cref="Utf8JsonWriter"/> (unindented, so one valid
    /// UTF-8 JSON value without a line break), skipping the checks of <see cref="Append"/>: re-parsing a line just
    /// written costs more than writing it.
    /// </summary>
    internal long AppendBuilt(ReadOnlySpan<byte> utf8Json)
    {
        var buffer = BuildBuffer;
        var start = buffer.WrittenCount;
        buffer.Write(utf8Json);
        return CommitBuilt(start);
    }

    /// <summary>
    /// The pending buffer, for a caller that builds its record in place (no copy) and then calls
    /// <see cref="CommitBuilt"/> with the <see cref="ArrayBufferWriter{T}.WrittenCount"/> it found here. The building
    /// must not fail half-way: what is written here goes to the file with the next record.
    /// </summary>
    internal ArrayBufferWriter<byte> BuildBuffer
    {
        get
        {
            ThrowIfUnusable();
            return _pending;
        }
    }

    /// <summary>Ends the record built in <see cref="BuildBuffer"/> since <paramref name="start"/>; returns its offset.</summary>
    internal long CommitBuilt(int start)
    {
        var offset = _length;
        _pending.Write([JournalLine.NewLine]);
        _length += _pending.WrittenCount - start;
        if (_pendingRecords++ == 0)
        {
            _firstPendingTimestamp = Stopwatch.GetTimestamp();
        }

        var policy = _options.FlushPolicy;
        if (_pendingRecords >= policy.MaxPendingRecords
            || (policy.MaxDelay is { } delay && Stopwatch.GetElapsedTime(_firstPendingTimestamp) >= delay))
        {
            Flush(_options.FlushToDisk);
        }
        else if (_pending.WrittenCount >= BufferSize)
        {
            WritePending();
        }

        return offset;
    }

    /// <summary>
    /// Serializes <paramref name="value"/> (an object, a <see cref="JsonElement"/>, a JsonNode...) as one line and
    /// appends it; returns the byte offset where the line starts. Output is never indented; unless
    /// <paramref name="options"/> sets an encoder, non-ASCII text is kept as UTF-8 rather than <c>\u</c>-escaped, so
    /// journals stay readable and searchable with text tools.
    /// </summary>
    /// <remarks>Named apart from <see cref="Append"/> so that a <c>byte[]</c> of JSON is never serialized as Base64.</remarks>
    public long AppendValue<T>(T value, JsonSerializerOptions? options = null)
    {
        ThrowIfUnusable();
        _serialized.ResetWrittenCount();
        var writer = GetJsonWriter(options);
        writer.Reset(_serialized);
        JsonSerializer.Serialize(writer, value, options);
        writer.Flush();
        return Append(_serialized.WrittenSpan);
    }

    /// <summary>Writes buffered records to the operating system, where they survive a crash of this process.</summary>
    public void Flush() => Flush(toDisk: false);

    /// <summary>
    /// Writes buffered records to the operating system and, when <paramref name="toDisk"/> is true, forces them to
    /// the disk (fsync) so they survive power loss.
    /// </summary>
    public void Flush(bool toDisk)
    {
        ThrowIfUnusable();
        WritePending();
        if (toDisk)
        {
            try
            {
                _stream.Flush(flushToDisk: true);
            }
            catch (Exception e) when (RecordFault(e))
            {
            }
        }
    }

    /// <summary>Flushes buffered records (to disk, unless the options say otherwise) and releases the journal and its lock.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            // After a failed write the buffer's fate is unknown; the next writer repairs the tail instead.
            if (_fault is null)
            {
                Flush(toDisk: _options.FlushToDiskOnDispose);
            }
        }
        finally
        {
            _disposed = true;
            _jsonWriter?.Dispose();
            _stream.Dispose();
            _lockFile.Dispose();
        }
    }

    private static FileStream OpenShared(string journalPath, string filePath, FileShare share)
    {
        try
        {
            return new FileStream(filePath, FileMode.OpenOrCreate, FileAccess.ReadWrite, share, bufferSize: 0);
        }
        catch (IOException e) when (IsSharingViolation(e))
        {
            throw new JournalInUseException(journalPath, e);
        }
    }

    private static bool IsSharingViolation(IOException e) => OperatingSystem.IsWindows()
        ? (e.HResult & 0xFFFF) is WindowsSharingViolation or WindowsLockViolation
        : e.GetType() == typeof(IOException) && e.HResult is UnixWouldBlockLinux or UnixWouldBlockBsd;

    // A JSON text cannot start with byte 1F, so the gzip magic is unambiguous; repairing a gzip file's "torn tail"
    // would cut it at an arbitrary 0A byte.
    private static void ThrowIfCompressed(FileStream stream, string path)
    {
        Span<byte> magic = stackalloc byte[2];
        if (stream.Length >= 2 && stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && JournalReader.IsGzipMagic(magic))
        {
            throw new NotSupportedException($"The journal '{path}' is gzip-compressed; compressed journals can be read but not appended to.");
        }
    }

    private static JournalRepair? RepairTornTail(FileStream stream, string path)
    {
        var length = stream.Length;
        var cut = FindEndOfLastLine(stream, length);
        if (cut == length)
        {
            return null;
        }

        var sidecarPath = path + ".torn";
        var repairedAt = DateTimeOffset.UtcNow;
        using (var sidecar = new FileStream(sidecarPath, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 0))
        {
            var header = new ArrayBufferWriter<byte>();
            using (var json = new Utf8JsonWriter(header))
            {
                json.WriteStartObject();
                json.WriteString("journal", System.IO.Path.GetFileName(path));
                json.WriteNumber("offset", cut);
                json.WriteNumber("length", length - cut);
                json.WriteString("repairedAt", repairedAt);
                json.WriteEndObject();
            }

            header.Write([JournalLine.NewLine]);
            sidecar.Write(header.WrittenSpan);
            CopyRange(stream, cut, length - cut, sidecar);
            sidecar.Write([JournalLine.NewLine]);
            sidecar.Flush(flushToDisk: true);
        }

        stream.SetLength(cut);
        stream.Flush(flushToDisk: true);
        return new JournalRepair(cut, length - cut, sidecarPath, repairedAt);
    }

    // Offset just past the last '\n' (0 when there is none), scanning backwards from the end in fixed-size chunks.
    private static long FindEndOfLastLine(FileStream stream, long length)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            var position = length;
            while (position > 0)
            {
                var count = (int)Math.Min(BufferSize, position);
                position -= count;
                stream.Position = position;
                stream.ReadExactly(buffer, 0, count);
                var index = buffer.AsSpan(0, count).LastIndexOf(JournalLine.NewLine);
                if (index >= 0)
                {
                    return position + index + 1;
                }
            }

            return 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void CopyRange(FileStream source, long offset, long count, Stream destination)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            source.Position = offset;
            while (count > 0)
            {
                var chunk = (int)Math.Min(buffer.Length, count);
                source.ReadExactly(buffer, 0, chunk);
                destination.Write(buffer, 0, chunk);
                count -= chunk;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Validate(ReadOnlySpan<byte> record)
    {
        if (record.IsEmpty)
        {
            throw new JournalFormatException("The record is empty; a journal record is one JSON value.");
        }

        var lineBreak = record.IndexOfAny((byte)'\n', (byte)'\r');
        if (lineBreak >= 0)
        {
            throw new JournalFormatException($"The record contains a line break at byte {lineBreak}; a journal record must be a single line.");
        }

        if (JournalLine.Check(record, validateJson: true, out var defect, out var jsonError) != JournalEntryStatus.Ok)
        {
            throw new JournalFormatException($"The record {defect}.", jsonError);
        }
    }

    // Callers usually pass the same options (or none) every time, so one cached writer serves them.
    private Utf8JsonWriter GetJsonWriter(JsonSerializerOptions? options)
    {
        if (_jsonWriter is null || !ReferenceEquals(options, _jsonWriterSource))
        {
            _jsonWriter?.Dispose();
            _jsonWriter = new Utf8JsonWriter(_serialized, new JsonWriterOptions
            {
                Encoder = options?.Encoder ?? JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                MaxDepth = options?.MaxDepth ?? 0,
            });
            _jsonWriterSource = options;
        }

        return _jsonWriter;
    }

    private void WritePending()
    {
        if (_pending.WrittenCount > 0)
        {
            try
            {
                _stream.Write(_pending.WrittenSpan);
            }
            catch (Exception e) when (RecordFault(e))
            {
            }

            _pending.ResetWrittenCount();
        }

        _pendingRecords = 0;
    }

    // A failed write may have left part of a line in the file; further appends would then corrupt offsets, so the
    // writer refuses them and the next writer's repair moves the torn tail aside.
    // Used as an exception filter that never catches, so the original exception propagates untouched.
    private bool RecordFault(Exception e)
    {
        _fault = e;
        return false;
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fault is not null)
        {
            throw new InvalidOperationException(
                $"An earlier write to the journal '{Path}' failed; open a new writer, which repairs any torn last line.", _fault);
        }
    }
}
