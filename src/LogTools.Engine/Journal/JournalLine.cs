using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace LogTools.Engine.Journal;

/// <summary>
/// The record checks shared by <see cref="JournalWriter"/> and <see cref="JournalReader"/>, so that what the
/// writer accepts and what the reader calls <see cref="JournalEntryStatus.Ok"/> can never drift apart.
/// </summary>
internal static class JournalLine
{
    /// <summary>The line terminator of every record.</summary>
    public const byte NewLine = (byte)'\n';

    // Every line of an import runs this: compiled fully optimised at its first call (AggressiveOptimization), not run
    // as ReadyToRun code and then through tiering, which a fresh process's first import never finishes
    // (docs/performance.md, issue 16.1).
    /// <summary>
    /// Checks that <paramref name="line"/> is valid UTF-8 and, when <paramref name="validateJson"/> is set, one
    /// well-formed JSON value. On failure <paramref name="defect"/> completes a sentence whose subject is the
    /// line ("is not valid UTF-8 ..."), so the writer and the reader can each name the line their own way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static JournalEntryStatus Check(ReadOnlySpan<byte> line, bool validateJson, out string? defect, out JsonException? jsonError)
    {
        jsonError = null;
        if (!Utf8Validation.IsValid(line))
        {
            defect = $"is not valid UTF-8 (first invalid byte at position {FirstInvalidUtf8(line)} of the line)";
            return JournalEntryStatus.InvalidUtf8;
        }

        if (validateJson)
        {
            try
            {
                // Reading every token to the end also rejects trailing content after the first value.
                var reader = new Utf8JsonReader(line, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
                while (reader.Read())
                {
                }
            }
            catch (JsonException e)
            {
                jsonError = e;
                defect = $"is not a single well-formed JSON value ({e.Message})";
                return JournalEntryStatus.InvalidJson;
            }
        }

        defect = null;
        return JournalEntryStatus.Ok;
    }

    /// <summary>True when the line holds only spaces, tabs or carriage returns: not a record, skipped by readers.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.IndexOfAnyExcept(" \t\r"u8) < 0;

    // Only called on the error path, so a rune-by-rune walk costs nothing on valid data.
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> line)
    {
        var position = 0;
        while (position < line.Length && Rune.DecodeFromUtf8(line[position..], out _, out var consumed) == OperationStatus.Done)
        {
            position += consumed;
        }

        return position;
    }
}
