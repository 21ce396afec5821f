using System.Text;
using System.Text.Json;

namespace LogTools.Engine.Journal;

/// <summary>
/// One line of a journal as returned by <see cref="JournalReader"/>. Blank lines are never returned.
/// </summary>
/// <remarks>
/// <see cref="Utf8"/> points into the reader's buffer, which the next line overwrites: it is valid only until the
/// enumerator moves on. Copy it (or use <see cref="GetString"/>, <see cref="Parse"/>, <see cref="Deserialize{T}"/>)
/// to keep the content; the other properties stay valid.
/// </remarks>
public readonly struct JournalEntry
{
    internal JournalEntry(long lineNumber, long offset, long length, JournalEntryStatus status, string? problem, ReadOnlyMemory<byte> utf8)
    {
        LineNumber = lineNumber;
        Offset = offset;
        Length = length;
        Status = status;
        Problem = problem;
        Utf8 = utf8;
    }

    /// <summary>1-based line number, counting from <see cref="JournalReadOptions.StartOffset"/> (blank lines count).</summary>
    public long LineNumber { get; }

    /// <summary>Byte offset of the line's start in the (decompressed) stream: what <see cref="JournalWriter.Append"/> returned.</summary>
    public long Offset { get; }

    /// <summary>Length of the line in bytes, without its <c>\n</c> or <c>\r\n</c>.</summary>
    public long Length { get; }

    /// <summary>Whether the line is a record, and if not, why.</summary>
    public JournalEntryStatus Status { get; }

    /// <summary>Null for <see cref="JournalEntryStatus.Ok"/>; otherwise a sentence naming the line, its offset and the defect.</summary>
    public string? Problem { get; }

    /// <summary>
    /// The line's bytes without the line ending: the record for <see cref="JournalEntryStatus.Ok"/>, the raw bytes for
    /// other statuses (to quarantine them), empty for <see cref="JournalEntryStatus.TooLong"/> lines, which are never
    /// buffered. Valid only until the enumerator moves on.
    /// </summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    /// <summary>The record as a string.</summary>
    /// <exception cref="InvalidOperationException">The line is not <see cref="JournalEntryStatus.Ok"/>.</exception>
    public string GetString() => Encoding.UTF8.GetString(OkSpan());

    /// <summary>The record parsed into a document that owns a copy of the bytes (dispose it).</summary>
    /// <exception cref="InvalidOperationException">The line is not <see cref="JournalEntryStatus.Ok"/>.</exception>
    public JsonDocument Parse()
    {
        // ParseValue copies the bytes, unlike JsonDocument.Parse(ReadOnlyMemory), so the document outlives the buffer.
        var reader = new Utf8JsonReader(OkSpan());
        return JsonDocument.ParseValue(ref reader);
    }

    /// <summary>The record deserialized as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException">The line is not <see cref="JournalEntryStatus.Ok"/>.</exception>
    public T? Deserialize<T>(JsonSerializerOptions? options = null) => JsonSerializer.Deserialize<T>(OkSpan(), options);

    private ReadOnlySpan<byte> OkSpan() => Status == JournalEntryStatus.Ok
        ? Utf8.Span
        : throw new InvalidOperationException($"The line is not a record: {Problem}");
}
