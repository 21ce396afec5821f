using System.Buffers;
using System.Buffers.Text;

namespace LogTools.Engine.Runs;

/// <summary>
/// A fast check of a log line written the way <see cref="RunEventWriter"/> writes it: a JSON object whose structure is
/// walked byte by byte, strings skipped with a vectorised search. It reads the sequence and type and checks every
/// token of the line up to the object's end, as <see cref="RunEnvelope.Read"/> does with a
/// <see cref="System.Text.Json.Utf8JsonReader"/>, at a fraction of its cost. It only says yes when that reader would
/// accept the line and read the same sequence and type; for anything unusual (escaped names, exponents, deep nesting,
/// malformed input) it says "don't know" and the caller falls back to the reader, which finds and reports the defect.
/// </summary>
internal static class RunEnvelopeScan
{
    private const int MaxDepth = 32;

    // The end of a string's plain run: its closing quote, an escape, or a control character (invalid in JSON).
    private static readonly SearchValues<byte> StringStops = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31]);

    /// <summary>
    /// True when the line is surely well formed, with its last sequence (0 if none) and type (<paramref name="hasType"/>
    /// false if none); false when unsure.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> line, out long sequence, out ReadOnlySpan<byte> type, out bool hasType)
    {
        sequence = 0;
        type = default;
        hasType = false;
        if (line.IsEmpty || line[0] != '{')
        {
            return false;
        }

        var at = 1;
        while (true)
        {
            SkipSpace(line, ref at);
            if (!String(line, ref at, out var name, out var escaped) || escaped)
            {
                return false;
            }

            SkipSpace(line, ref at);
            if (at >= line.Length || line[at++] != ':')
            {
                return false;
            }

            SkipSpace(line, ref at);
            if (name.SequenceEqual("sequence"u8))
            {
                var start = at;
                if (!Number(line, ref at, out var plain) || !plain || at - start > 18 || !Utf8Parser.TryParse(line[start..at], out sequence, out _))
                {
                    return false;
                }
            }
            else if (name.SequenceEqual("type"u8))
            {
                if (!String(line, ref at, out type, out var typeEscaped) || typeEscaped)
                {
                    return false;
                }

                hasType = true;
            }
            else if (!Value(line, ref at, 1))
            {
                return false;
            }

            SkipSpace(line, ref at);
            if (at >= line.Length)
            {
                return false;
            }

            var next = line[at++];
            if (next == '}')
            {
                return true;
            }

            if (next != ',')
            {
                return false;
            }
        }
    }

    private static bool Value(ReadOnlySpan<byte> line, ref int at, int depth)
    {
        if (at >= line.Length)
        {
            return false;
        }

        switch (line[at])
        {
            case (byte)'"':
                return String(line, ref at, out _, out _);
            case (byte)'{':
                return Container(line, ref at, depth + 1, (byte)'}', keyed: true);
            case (byte)'[':
                return Container(line, ref at, depth + 1, (byte)']', keyed: false);
            case (byte)'t':
                return Literal(line, ref at, "true"u8);
            case (byte)'f':
                return Literal(line, ref at, "false"u8);
            case (byte)'n':
                return Literal(line, ref at, "null"u8);
            default:
                return Number(line, ref at, out _);
        }
    }

    private static bool Container(ReadOnlySpan<byte> line, ref int at, int depth, byte close, bool keyed)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        at++;
        SkipSpace(line, ref at);
        if (at < line.Length && line[at] == close)
        {
            at++;
            return true;
        }

        while (true)
        {
            SkipSpace(line, ref at);
            if (keyed)
            {
                if (!String(line, ref at, out _, out _))
                {
                    return false;
                }

                SkipSpace(line, ref at);
                if (at >= line.Length || line[at++] != ':')
                {
                    return false;
                }

                SkipSpace(line, ref at);
            }

            if (!Value(line, ref at, depth))
            {
                return false;
            }

            SkipSpace(line, ref at);
            if (at >= line.Length)
            {
                return false;
            }

            var next = line[at++];
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

    // A string at line[at] (its opening quote); text is its raw content. Escapes other than \uXXXX of a surrogate are
    // accepted (the reader accepts them too); a control character or a surrogate escape makes it unsure.
    private static bool String(ReadOnlySpan<byte> line, scoped ref int at, out ReadOnlySpan<byte> text, out bool escaped)
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
            var stop = line[at..].IndexOfAny(StringStops);
            if (stop < 0)
            {
                return false;
            }

            at += stop;
            var c = line[at];
            if (c == '"')
            {
                text = line[start..at];
                at++;
                return true;
            }

            if (c != '\\' || at + 1 >= line.Length)
            {
                return false;
            }

            escaped = true;
            var kind = line[at + 1];
            if (kind == 'u')
            {
                if (at + 6 > line.Length || !ushort.TryParse(line.Slice(at + 2, 4), System.Globalization.NumberStyles.AllowHexSpecifier, null, out var unit)
                    || char.IsSurrogate((char)unit))
                {
                    return false;
                }

                at += 6;
            }
            else if ("\"\\/bfnrt"u8.Contains(kind))
            {
                at += 2;
            }
            else
            {
                return false;
            }
        }
    }

    // -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? followed by a delimiter; plain when it is digits only.
    private static bool Number(ReadOnlySpan<byte> line, ref int at, out bool plain)
    {
        var start = at;
        if (at < line.Length && line[at] == '-')
        {
            at++;
        }

        if (at >= line.Length || !char.IsAsciiDigit((char)line[at]))
        {
            plain = false;
            return false;
        }

        if (line[at] == '0')
        {
            at++;
        }
        else
        {
            Digits(line, ref at);
        }

        plain = line[start] != '-';
        if (at < line.Length && line[at] == '.')
        {
            plain = false;
            at++;
            if (Digits(line, ref at) == 0)
            {
                return false;
            }
        }

        if (at < line.Length && (line[at] | 0x20) == 'e')
        {
            plain = false;
            at++;
            if (at < line.Length && (line[at] == '+' || line[at] == '-'))
            {
                at++;
            }

            if (Digits(line, ref at) == 0)
            {
                return false;
            }
        }

        return Delimited(line, at);
    }

    private static int Digits(ReadOnlySpan<byte> line, ref int at)
    {
        var start = at;
        while (at < line.Length && char.IsAsciiDigit((char)line[at]))
        {
            at++;
        }

        return at - start;
    }

    private static bool Literal(ReadOnlySpan<byte> line, ref int at, ReadOnlySpan<byte> literal)
    {
        if (!line[at..].StartsWith(literal))
        {
            return false;
        }

        at += literal.Length;
        return Delimited(line, at);
    }

    private static bool Delimited(ReadOnlySpan<byte> line, int at) =>
        at < line.Length && line[at] is (byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    private static void SkipSpace(ReadOnlySpan<byte> line, ref int at)
    {
        while (at < line.Length && line[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            at++;
        }
    }
}
