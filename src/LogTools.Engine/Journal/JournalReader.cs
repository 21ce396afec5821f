using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace LogTools.Engine.Journal;

/// <summary>
/// Streams the lines of a JSONL/NDJSON journal with memory bounded by <see cref="JournalReadOptions.MaxLineBytes"/>
/// whatever the file's size. Gzip input (detected by its magic bytes, single or multi-member) is decompressed
/// transparently. Defective lines are reported as entries with a <see cref="JournalEntryStatus"/>, never thrown.
/// </summary>
/// <example>
/// Incremental import: read from the saved offset, store each record, save <see cref="EndOffset"/> for next time.
/// <code>
/// using var reader = JournalReader.Open(path, new JournalReadOptions { StartOffset = saved });
/// foreach (var entry in reader.ReadEntries()) { ... }
/// saved = reader.EndOffset;
/// </code>
/// </example>
public sealed class JournalReader : IDisposable
{
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private readonly Stream _source;
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly JournalReadOptions _options;
    private byte[] _buffer;
    private bool _started;
    private bool _disposed;

    /// <summary>
    /// Reads a journal from <paramref name="stream"/>, whose current position is offset 0. Gzip is detected only on
    /// seekable streams; wrap other compressed streams in a <see cref="GZipStream"/> yourself.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="JournalReadOptions.StartOffset"/> is past the end of the stream or not just after a newline: the
    /// journal was probably truncated or replaced since the offset was saved.
    /// </exception>
    public JournalReader(Stream stream, JournalReadOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _options = options ?? new JournalReadOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(_options.StartOffset, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxLineBytes, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BufferBytes, 1, nameof(options));
        _buffer = new byte[_options.BufferBytes];
        _source = stream;
        _leaveOpen = leaveOpen;
        IsCompressed = StartsWithGzipMagic(stream);
        _stream = IsCompressed ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true) : stream;
        try
        {
            MoveToStartOffset();
        }
        catch
        {
            Dispose();
            throw;
        }

        EndOffset = _options.StartOffset;
    }

    /// <summary>True when the input is gzip-compressed; offsets then count decompressed bytes.</summary>
    public bool IsCompressed { get; }

    /// <summary>
    /// Offset just past the last complete line returned so far (initially <see cref="JournalReadOptions.StartOffset"/>):
    /// where the next incremental read should start. A torn last line is not consumed, so it is read again once
    /// complete.
    /// </summary>
    public long EndOffset { get; private set; }

    /// <summary>
    /// Opens the journal at <paramref name="path"/> for reading, sharing it with writers (who are never locked out)
    /// and with deletion.
    /// </summary>
    public static JournalReader Open(string path, JournalReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        // bufferSize 0: the reader does its own buffering, so FileStream's would only copy twice.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        return new JournalReader(stream, options);
    }

    /// <summary>Reads every line of the journal at <paramref name="path"/>, opened when enumeration starts and closed when it ends.</summary>
    public static IEnumerable<JournalEntry> Read(string path, JournalReadOptions? options = null)
    {
        using var reader = Open(path, options);
        foreach (var entry in reader.ReadEntries())
        {
            yield return entry;
        }
    }

    /// <summary>Reads every line of the journal in <paramref name="stream"/>, which is left open.</summary>
    public static IEnumerable<JournalEntry> Read(Stream stream, JournalReadOptions? options = null)
    {
        using var reader = new JournalReader(stream, options, leaveOpen: true);
        foreach (var entry in reader.ReadEntries())
        {
            yield return entry;
        }
    }

    /// <summary>
    /// The lines from <see cref="JournalReadOptions.StartOffset"/> to the end, blank lines left out. Can be enumerated
    /// once. Each entry's <see cref="JournalEntry.Utf8"/> is valid only until the enumerator moves on.
    /// </summary>
    public IEnumerable<JournalEntry> ReadEntries()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_started)
        {
            throw new InvalidOperationException("A JournalReader can be enumerated once; open a new reader at EndOffset to read on.");
        }

        _started = true;
        return Enumerate();
    }

    /// <summary>Closes the input (unless it was passed with leaveOpen).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (IsCompressed)
        {
            _stream.Dispose();
        }

        if (!_leaveOpen)
        {
            _source.Dispose();
        }
    }

    internal static bool IsGzipMagic(ReadOnlySpan<byte> bytes) => bytes is [0x1f, 0x8b, ..];

    private static bool StartsWithGzipMagic(Stream stream)
    {
        if (!stream.CanSeek)
        {
            return false;
        }

        Span<byte> magic = stackalloc byte[2];
        var position = stream.Position;
        var read = stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        stream.Position = position;
        return read == 2 && IsGzipMagic(magic);
    }

    // Checks the byte before StartOffset is a newline, so a stale offset is reported instead of yielding half a line.
    private void MoveToStartOffset()
    {
        var start = _options.StartOffset;
        if (start == 0)
        {
            return;
        }

        if (!IsCompressed && _stream.CanSeek)
        {
            _stream.Seek(start - 1, SeekOrigin.Current);
        }
        else
        {
            for (var remaining = start - 1; remaining > 0;)
            {
                var read = _stream.Read(_buffer, 0, (int)Math.Min(_buffer.Length, remaining));
                if (read == 0)
                {
                    break;
                }

                remaining -= read;
            }
        }

        var previous = _stream.ReadByte();
        if (previous != JournalLine.NewLine)
        {
            var where = previous < 0 ? "is past the end of the journal" : "is not at the start of a line";
            throw new ArgumentOutOfRangeException(
                nameof(JournalReadOptions.StartOffset),
                start,
                $"StartOffset {start} {where}: the journal was probably truncated or replaced since the offset was saved.");
        }
    }

    private IEnumerable<JournalEntry> Enumerate()
    {
        var max = _options.MaxLineBytes;
        var buffer = _buffer;
        var bufferOffset = EndOffset; // stream offset of buffer[0]
        int start = 0, end = 0, scan = 0; // current line's start, end of buffered data, where the '\n' search resumes
        long lineNumber = 0;
        while (true)
        {
            var index = buffer.AsSpan(scan, end - scan).IndexOf(JournalLine.NewLine);
            if (index >= 0)
            {
                var lineStart = start;
                var lineEnd = scan + index;
                start = scan = lineEnd + 1;
                EndOffset = bufferOffset + start;
                if (MakeEntry(++lineNumber, bufferOffset + lineStart, buffer, lineStart, lineEnd) is { } entry)
                {
                    yield return entry;
                }

                continue;
            }

            scan = end;
            if (end - start > max + 1)
            {
                // Too long even if it ends in "\r\n": skip to the next '\n' reading into the same buffer, keeping nothing.
                var offset = bufferOffset + start;
                long length = end - start;
                var last = buffer[end - 1];
                bufferOffset += end;
                start = end = scan = 0;
                var found = false;
                int read;
                while (!found && (read = _stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    var newline = buffer.AsSpan(0, read).IndexOf(JournalLine.NewLine);
                    found = newline >= 0;
                    var taken = found ? newline : read;
                    length += taken;
                    last = taken > 0 ? buffer[taken - 1] : last;
                    if (found)
                    {
                        start = scan = newline + 1;
                        end = read;
                    }
                    else
                    {
                        bufferOffset += read;
                    }
                }

                lineNumber++;
                if (!found)
                {
                    yield return Torn(lineNumber, offset, length, default);
                    yield break;
                }

                EndOffset = bufferOffset + start;
                yield return TooLong(lineNumber, offset, last == '\r' ? length - 1 : length, max);
                continue;
            }

            if (start > 0)
            {
                // Move the partial line to the front so the buffer only ever holds one line.
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                bufferOffset += start;
                end -= start;
                scan -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(2L * buffer.Length, max + 2L));
                _buffer = buffer;
            }

            var count = _stream.Read(buffer, end, buffer.Length - end);
            if (count == 0)
            {
                if (end > start)
                {
                    yield return Torn(++lineNumber, bufferOffset + start, end - start, new ReadOnlyMemory<byte>(buffer, start, end - start));
                }

                yield break;
            }

            end += count;
        }
    }

    // Every line of an import runs this: compiled fully optimised at its first call (AggressiveOptimization), not run
    // as ReadyToRun code and then through tiering, which a fresh process's first import never finishes
    // (docs/performance.md, issue 16.1).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private JournalEntry? MakeEntry(long lineNumber, long offset, byte[] buffer, int lineStart, int lineEnd)
    {
        var length = lineEnd - lineStart;
        if (length > 0 && buffer[lineEnd - 1] == '\r')
        {
            length--;
        }

        var line = new ReadOnlyMemory<byte>(buffer, lineStart, length);
        if (offset == 0 && line.Span.StartsWith(Utf8ByteOrderMark))
        {
            // Editors on Windows start a UTF-8 file with one: no part of the first record. Offsets still count it, so a
            // read resumed at EndOffset starts where this one stopped.
            line = line[Utf8ByteOrderMark.Length..];
        }

        if (JournalLine.IsBlank(line.Span))
        {
            return null;
        }

        if (length > _options.MaxLineBytes)
        {
            return TooLong(lineNumber, offset, length, _options.MaxLineBytes);
        }

        var status = JournalLine.Check(line.Span, _options.ValidateJson, out var defect, out _);
        var problem = status == JournalEntryStatus.Ok ? null : $"Line {lineNumber} at offset {offset} {defect}.";
        return new JournalEntry(lineNumber, offset, length, status, problem, line);
    }

    private static JournalEntry TooLong(long lineNumber, long offset, long length, int max) => new(
        lineNumber, offset, length, JournalEntryStatus.TooLong,
        $"Line {lineNumber} at offset {offset} is {length} bytes long, more than MaxLineBytes ({max}); it was skipped.",
        default);

    private static JournalEntry Torn(long lineNumber, long offset, long length, ReadOnlyMemory<byte> bytes) => new(
        lineNumber, offset, length, JournalEntryStatus.Torn,
        $"Line {lineNumber} at offset {offset} ({length} bytes) has no terminating newline: it is still being written, "
            + "or its writer crashed; it was not read as a record.",
        bytes);
}
