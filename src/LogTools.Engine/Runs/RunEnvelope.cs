using System.Text.Json;
using LogTools.Engine.Sessions;

namespace LogTools.Engine.Runs;

/// <summary>
/// The fields of one log line that summaries, filters and seeks need, read with a forward-only reader (no document):
/// sequence, time, type, and the payload's severity and message.
/// </summary>
internal readonly record struct RunEnvelope(long Sequence, string? Time, string? Type, LogEventSeverity? Severity, string? Message)
{
    // A log mostly repeats a few types: the ones read last on this thread are reused instead of a new string per line
    // (each one's text and UTF-8 together; one thread-local access per line).
    private const int TypesKept = 8;

    [ThreadStatic]
    private static KnownType[]? types;

    [ThreadStatic]
    private static int lastType;

    /// <summary>
    /// The envelope of <paramref name="line"/>, or null when it is not one well-formed JSON object (nothing after it)
    /// with a positive sequence and a type. Without <paramref name="withPayload"/> only the sequence and type are read
    /// (time, severity and message stay null), though the whole line is still checked.
    /// </summary>
    public static RunEnvelope? Read(ReadOnlySpan<byte> line, bool withPayload = true)
    {
        // The writer's lines are proved well formed by a scan many times faster than the reader; the reader reads the
        // rest (and the payload's fields), and reports what is wrong with a broken line.
        if (!withPayload && RunEnvelopeScan.TryRead(line, out var scanned, out var scannedType))
        {
            return new RunEnvelope(scanned, null, TypeText(scannedType), null, null);
        }

        return ReadWithReader(line, withPayload);
    }

    /// <summary><see cref="Read"/> through the JSON reader alone: the reference the fast scan must agree with.</summary>
    internal static RunEnvelope? ReadWithReader(ReadOnlySpan<byte> line, bool withPayload)
    {
        long sequence = 0;
        string? time = null, type = null, message = null;
        LogEventSeverity? severity = null;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            // Every token is read to the end of the line, so that the line is checked as one JSON value with nothing
            // after it; only the root's fields and the payload object's own fields are looked at.
            var inPayload = false;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 1)
                {
                    inPayload = false;
                }
                else if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    if (reader.ValueTextEquals("sequence"u8))
                    {
                        reader.Read();
                        sequence = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var s) ? s : 0;
                    }
                    else if (withPayload && reader.ValueTextEquals("time"u8))
                    {
                        reader.Read();
                        time = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                    else if (reader.ValueTextEquals("type"u8))
                    {
                        reader.Read();
                        type = reader.TokenType == JsonTokenType.String ? TypeText(ref reader) : null;
                    }
                    else if (withPayload && reader.ValueTextEquals("payload"u8))
                    {
                        reader.Read();
                        inPayload = reader.TokenType == JsonTokenType.StartObject;
                    }
                }
                else if (reader.TokenType == JsonTokenType.PropertyName && inPayload && reader.CurrentDepth == 2)
                {
                    if (reader.ValueTextEquals("severity"u8))
                    {
                        reader.Read();
                        severity = reader.TokenType == JsonTokenType.String ? ParseSeverity(reader.GetString()) : null;
                    }
                    else if (reader.ValueTextEquals("message"u8))
                    {
                        reader.Read();
                        message = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is no text (invalid UTF-8, a lone surrogate escape).
            return null;
        }

        return sequence > 0 && type is not null ? new RunEnvelope(sequence, time, type, severity, message) : null;
    }

    // GetString fails on a type that is no text (caught above); a plain one is read through the cache.
    private static string TypeText(ref Utf8JsonReader reader) =>
        reader.ValueIsEscaped || !System.Text.Unicode.Utf8.IsValid(reader.ValueSpan) ? reader.GetString()! : TypeText(reader.ValueSpan);

    /// <summary>The text of a type's UTF-8, the same string for the same type while it is among the last few read.</summary>
    internal static string TypeText(ReadOnlySpan<byte> utf8) => Known(utf8).Text;

    /// <summary><see cref="TypeText(ReadOnlySpan{byte})"/> with the UTF-8 kept beside it, for a reader to match the next line's type in place.</summary>
    internal static KnownType Known(ReadOnlySpan<byte> utf8)
    {
        var kept = types ??= new KnownType[TypesKept];
        var last = lastType;
        for (var i = 0; i < kept.Length; i++)
        {
            var at = (last + i) % kept.Length;
            if (kept[at] is { } known && utf8.SequenceEqual(known.Utf8))
            {
                lastType = at;
                return known;
            }
        }

        // A new type takes the slot after the last one hit: a run of one type keeps the others.
        lastType = (last + 1) % kept.Length;
        return kept[lastType] = new KnownType(System.Text.Encoding.UTF8.GetString(utf8), utf8.ToArray());
    }

    /// <summary>
    /// True when <paramref name="sequence"/> may follow the previous line's in a completed log (<paramref name="expected"/>
    /// is that plus one): the next number, or a log.truncated marker, which stands for the dropped range and carries its last number.
    /// </summary>
    internal static bool Continues(long expected, long sequence, string? type) =>
        sequence == expected || (sequence > expected && type == RunEventTypes.Truncated);

    /// <summary>A severity name as stored (any case), or null.</summary>
    public static LogEventSeverity? ParseSeverity(string? text) =>
        Enum.TryParse<LogEventSeverity>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _) ? value : null;

    /// <summary>A type's text and its UTF-8, as kept for reuse.</summary>
    internal sealed record KnownType(string Text, byte[] Utf8);
}
