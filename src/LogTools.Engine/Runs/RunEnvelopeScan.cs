using System.Buffers;
using System.Buffers.Text;
using System.Text.Unicode;

namespace LogTools.Engine.Runs;

/// <summary>
/// Proves a log line well formed without a JSON reader, for the lines <see cref="RunEventWriter"/> writes: one JSON
/// object, nothing after it, with a top-level sequence (plain positive digits) and type (an unescaped string). It
/// walks the line's structure with vectorised searches for the end of each string, and checks every token as
/// <see cref="System.Text.Json.Utf8JsonReader"/> does. It only answers when sure: for a broken line, or one it cannot
/// prove (control characters, white space other than spaces, escaped names or type, surrogate escapes, repeated
/// sequence or type, deep nesting, anything before the object or after it), it says no and the caller asks the reader,
/// which also finds and reports what is wrong.
/// </summary>
internal ref struct RunEnvelopeScan
{
    // The reader allows 64 levels; lines nested deeper than this are left to it.
    private const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> line;
    private readonly bool escapes;
    private int at;

    private RunEnvelopeScan(ReadOnlySpan<byte> line, bool escapes)
    {
        this.line = line;
        this.escapes = escapes;
        at = 1;
    }

    /// <summary>True when <paramref name="line"/> is surely a well-formed event line, with its sequence and type's UTF-8.</summary>
    public static bool TryRead(ReadOnlySpan<byte> line, out long sequence, out ReadOnlySpan<byte> type)
    {
        sequence = 0;
        type = default;
        // A control character is invalid in a string and rare outside one (a tab as white space): the reader judges it.
        // Without it, the only white space left to skip is ' ', and without a backslash a string ends at the next quote.
        if (line.Length < 2 || line[0] != '{' || line[^1] != '}' || line.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0)
        {
            return false;
        }

        var escapes = line.Contains((byte)'\\');
        if (!escapes && WriterShape(line, out sequence, out type))
        {
            return true;
        }

        var scan = new RunEnvelopeScan(line, escapes);
        return scan.Envelope(out sequence, out type);
    }

    // Where a string of the writer's head ends, or what makes it not the writer's: an escape, or a line end.
    private static readonly SearchValues<byte> HeadStops = SearchValues.Create("\"\\\n"u8);

    /// <summary>
    /// The sequence and type at the start of a line our writer wrote, read at their fixed places without checking the
    /// rest of the line (for a log known to be the writer's own, see <see cref="RunEventReader"/>). <paramref name="text"/>
    /// runs from the line's start to the end of what was read, its line end not searched yet, so that the line's bytes
    /// are searched once: the caller looks for the line end from the returned offset on. The previous line's type,
    /// <paramref name="lastType"/>, is matched in place (<paramref name="same"/>) instead of searched for.
    /// </summary>
    /// <returns>Where the head ends (after the type's closing quote); -1 when the text does not start as the writer
    /// starts every line, its time or type holds an escape or a line end, or the head is cut off by the end of the text.</returns>
    public static int ReadWrittenHead(
        ReadOnlySpan<byte> text, ReadOnlySpan<byte> lastType, out long sequence, out ReadOnlySpan<byte> type, out bool same)
    {
        sequence = 0;
        type = default;
        same = false;
        if (!text.StartsWith("{\"sequence\":"u8))
        {
            return -1;
        }

        // Written inline rather than with the walk's steps: this runs once per line of a large replay.
        var at = "{\"sequence\":"u8.Length;
        long value = 0;
        for (uint digit; at < text.Length && (digit = (uint)(text[at] - '0')) <= 9; at++)
        {
            value = (value * 10) + digit;
        }

        var digits = at - "{\"sequence\":"u8.Length;
        if (digits is < 1 or > 18 || text["{\"sequence\":"u8.Length] == '0' || !text[at..].StartsWith(",\"time\":\""u8))
        {
            return -1;
        }

        at += ",\"time\":\""u8.Length;
        var time = text[at..].IndexOfAny(HeadStops);
        if (time < 0 || text[at + time] != '"' || !text[(at + time + 1)..].StartsWith(",\"type\":\""u8))
        {
            return -1;
        }

        at += time + 1 + ",\"type\":\""u8.Length;
        var rest = text[at..];
        // The previous type followed by its closing quote is that type again (it holds no escape, quote or line end).
        same = !lastType.IsEmpty && rest.Length > lastType.Length && rest[lastType.Length] == '"' && rest.StartsWith(lastType);
        var end = same ? lastType.Length : rest.IndexOfAny(HeadStops);
        if (end < 0 || rest[end] != '"')
        {
            return -1;
        }

        sequence = value;
        type = rest[..end];
        return at + end + 1;
    }

    // The line exactly as the writer writes a text-only event, walked with fixed prefixes and one search per string:
    // with no backslash and no control character in the line, every string runs to the next quote and is valid.
    private static bool WriterShape(ReadOnlySpan<byte> line, out long sequence, out ReadOnlySpan<byte> type)
    {
        sequence = 0;
        type = default;
        if (!line.StartsWith("{\"sequence\":"u8))
        {
            return false;
        }

        var scan = new RunEnvelopeScan(line, escapes: false) { at = "{\"sequence\":"u8.Length };
        if (!scan.Sequence(out sequence)
            || !scan.Skip(",\"time\":\""u8) || !scan.PastQuote(out _)
            || !scan.Skip(",\"type\":\""u8) || !scan.PastQuote(out type) || !Utf8.IsValid(type)
            || !scan.Skip(",\"run_id\":\""u8) || !scan.PastQuote(out _)
            || !scan.Skip(",\"payload\":{"u8))
        {
            return false;
        }

        // The payload's members, text only: "name":"value", separated by commas.
        if (!scan.Skip("}"u8))
        {
            do
            {
                if (!scan.Skip("\""u8) || !scan.PastQuote(out _) || !scan.Skip(":\""u8) || !scan.PastQuote(out _))
                {
                    return false;
                }
            }
            while (scan.Skip(","u8));

            if (!scan.Skip("}"u8))
            {
                return false;
            }
        }

        return scan.Skip("}"u8) && scan.at == line.Length;
    }

    private bool Skip(ReadOnlySpan<byte> literal)
    {
        if (!line[at..].StartsWith(literal))
        {
            return false;
        }

        at += literal.Length;
        return true;
    }

    // The rest of a string whose opening quote is behind: its text, and past its closing quote (no escapes in the line).
    private bool PastQuote(out ReadOnlySpan<byte> text)
    {
        var end = line[at..].IndexOf((byte)'"');
        text = end < 0 ? default : line.Slice(at, end);
        at += end + 1;
        return end >= 0;
    }

    private bool Envelope(out long sequence, out ReadOnlySpan<byte> type)
    {
        sequence = 0;
        type = default;
        var hasType = false;
        while (true)
        {
            SkipSpace();
            if (!String(out var name, out var escaped) || escaped || !Colon())
            {
                return false;
            }

            if (name.SequenceEqual("sequence"u8))
            {
                if (sequence != 0 || !Sequence(out sequence))
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("type"u8))
            {
                // The reader would fail to turn invalid UTF-8 into the type's text: left to it.
                if (hasType || !String(out type, out escaped) || escaped || !Utf8.IsValid(type))
                {
                    return false;
                }

                hasType = true;
            }
            else if (!Value(1))
            {
                return false;
            }

            switch (Next())
            {
                case (byte)',':
                    continue;
                case (byte)'}':
                    // The root object must end the line: the line ends in '}', so this is that one only when nothing follows.
                    return at == line.Length && sequence > 0 && hasType;
                default:
                    return false;
            }
        }
    }

    // Plain digits of a positive number that surely fits a long; anything else is left to the reader.
    private bool Sequence(out long sequence)
    {
        sequence = 0;
        var start = at;
        while (at < line.Length && IsDigit(line[at]))
        {
            at++;
        }

        var digits = line[start..at];
        return digits.Length is > 0 and <= 18 && digits[0] != '0'
            && (at == line.Length || line[at] is not ((byte)'.' or (byte)'e' or (byte)'E'))
            && Utf8Parser.TryParse(digits, out sequence, out _);
    }

    private bool Value(int depth)
    {
        if (at >= line.Length)
        {
            return false;
        }

        switch (line[at])
        {
            case (byte)'"':
                return String(out _, out _);
            case (byte)'{':
                return Container(depth + 1, (byte)'}', keyed: true);
            case (byte)'[':
                return Container(depth + 1, (byte)']', keyed: false);
            case (byte)'t':
                return Literal("true"u8);
            case (byte)'f':
                return Literal("false"u8);
            case (byte)'n':
                return Literal("null"u8);
            default:
                return Number();
        }
    }

    private bool Container(int depth, byte close, bool keyed)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        at++;
        SkipSpace();
        if (at < line.Length && line[at] == close)
        {
            at++;
            return true;
        }

        while (true)
        {
            SkipSpace();
            if (keyed && (!String(out _, out _) || !Colon()))
            {
                return false;
            }

            if (!Value(depth))
            {
                return false;
            }

            var next = Next();
            if (next == close)
            {
                return true;
            }

            if (next != ',')
            {
                return false;
            }
        }
    }

    // A string at line[at] (its opening quote); text is its raw content, escaped whether it holds escapes. The escapes
    // are those JSON allows.
    private bool String(out ReadOnlySpan<byte> text, out bool escaped)
    {
        text = default;
        escaped = false;
        if (at >= line.Length || line[at] != '"')
        {
            return false;
        }

        var start = ++at;
        while (true)
        {
            var rest = line[at..];
            var stop = escapes ? rest.IndexOfAny((byte)'"', (byte)'\\') : rest.IndexOf((byte)'"');
            if (stop < 0)
            {
                return false;
            }

            at += stop;
            if (line[at] == '"')
            {
                text = line[start..at];
                at++;
                return true;
            }

            escaped = true;
            if (at + 1 >= line.Length)
            {
                return false;
            }

            switch (line[at + 1])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    at += 2;
                    break;
                case (byte)'u':
                    // The writer escapes characters beyond the BMP as a pair; a lone surrogate is left to the reader.
                    if (!Unit(at, out var unit) || (unit is >= 0xD800 and <= 0xDFFF
                        && (unit >= 0xDC00 || !Unit(at + 6, out var low) || low is < 0xDC00 or > 0xDFFF)))
                    {
                        return false;
                    }

                    at += unit is >= 0xD800 and <= 0xDFFF ? 12 : 6;
                    break;
                default:
                    return false;
            }
        }
    }

    // The code unit of the \uXXXX escape at line[escape].
    private readonly bool Unit(int escape, out ushort unit)
    {
        unit = 0;
        return escape + 6 <= line.Length && line[escape] == '\\' && line[escape + 1] == 'u'
            && Utf8Parser.TryParse(line.Slice(escape + 2, 4), out unit, out var used, 'x') && used == 4;
    }

    // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?; what follows is checked by the caller (a separator or a close).
    private bool Number()
    {
        if (line[at] == '-')
        {
            at++;
        }

        if (at >= line.Length || !IsDigit(line[at]))
        {
            return false;
        }

        if (line[at++] != '0')
        {
            Digits();
        }

        if (at < line.Length && line[at] == '.')
        {
            at++;
            if (Digits() == 0)
            {
                return false;
            }
        }

        if (at < line.Length && (line[at] | 0x20) == 'e')
        {
            at++;
            if (at < line.Length && line[at] is (byte)'+' or (byte)'-')
            {
                at++;
            }

            if (Digits() == 0)
            {
                return false;
            }
        }

        return true;
    }

    private int Digits()
    {
        var start = at;
        while (at < line.Length && IsDigit(line[at]))
        {
            at++;
        }

        return at - start;
    }

    private bool Literal(ReadOnlySpan<byte> literal)
    {
        if (!line[at..].StartsWith(literal))
        {
            return false;
        }

        at += literal.Length;
        return true;
    }

    private bool Colon()
    {
        SkipSpace();
        if (at >= line.Length || line[at] != ':')
        {
            return false;
        }

        at++;
        SkipSpace();
        return true;
    }

    // The next byte that is not a space, consumed; 0 at the end of the line.
    private byte Next()
    {
        SkipSpace();
        return at < line.Length ? line[at++] : (byte)0;
    }

    private void SkipSpace()
    {
        while (at < line.Length && line[at] == ' ')
        {
            at++;
        }
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
