using System.Text.Json;
using LogTools.Engine.Sessions;

namespace LogTools.Engine.Runs;

/// <summary>
/// The fields of one log line that summaries, filters and seeks need, read with a forward-only reader (no document):
/// sequence, time, type, and the payload's severity and message.
/// </summary>
internal readonly record struct RunEnvelope(long Sequence, string? Time, string? Type, LogEventSeverity? Severity, string? Message)
{
    // A log mostly repeats a few types: the last one read on this thread is reused instead of a new string per line.
    [ThreadStatic]
    private static string? lastType;

    [ThreadStatic]
    private static byte[]? lastTypeUtf8;

    /// <summary>
    /// The envelope of <paramref name="line"/>, or null when it has no positive sequence or no type. Without
    /// <paramref name="withPayload"/> only the sequence and type are read (time, severity and message stay null),
    /// though the whole line is still checked to be one JSON object.
    /// </summary>
    public static RunEnvelope? Read(ReadOnlySpan<byte> line, bool withPayload = true)
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

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
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
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadPayload(ref reader, ref severity, ref message);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return sequence > 0 && type is not null ? new RunEnvelope(sequence, time, type, severity, message) : null;
    }

    private static string TypeText(ref Utf8JsonReader reader)
    {
        if (lastTypeUtf8 is not null && reader.ValueTextEquals(lastTypeUtf8))
        {
            return lastType!;
        }

        lastType = reader.GetString()!;
        lastTypeUtf8 = System.Text.Encoding.UTF8.GetBytes(lastType);
        return lastType;
    }

    /// <summary>A severity name as stored (any case), or null.</summary>
    public static LogEventSeverity? ParseSeverity(string? text) =>
        Enum.TryParse<LogEventSeverity>(text, ignoreCase: true, out var value) && Enum.IsDefined(value) && !int.TryParse(text, out _) ? value : null;

    private static void ReadPayload(ref Utf8JsonReader reader, ref LogEventSeverity? severity, ref string? message)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
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
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }
}
