using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LogTools.Engine.Runs;

/// <summary>
/// One line of a run's log as a reader hands it on: its sequence and type; its text and event object are built on
/// demand, so a replay that only counts or filters allocates no string per line. The line's bytes belong to the
/// reader's buffer and the object itself is the reader's, handed on again with the next line: read <see cref="Text"/>
/// or call <see cref="ToEvent"/> during the call that received the line.
/// </summary>
public sealed class RunEventLine
{
    private ReadOnlyMemory<byte> utf8;
    private string? text;

    internal RunEventLine(string runId) => RunId = runId;

    public string RunId { get; }

    public long LineNumber { get; private set; }

    /// <summary>The raw NDJSON line.</summary>
    public string Text => text ??= Encoding.UTF8.GetString(utf8.Span);

    public long Sequence { get; private set; }

    public string Type { get; private set; } = "";

    /// <summary>This object as the next line read (so a replay allocates nothing per line).</summary>
    internal RunEventLine Next(long lineNumber, ReadOnlyMemory<byte> line, long sequence, string type)
    {
        LineNumber = lineNumber;
        utf8 = line;
        text = null;
        Sequence = sequence;
        Type = type;
        return this;
    }

    /// <summary>The line as an event object, with its payload parsed.</summary>
    /// <exception cref="LogToolsException">
    /// RunEventLineInvalid: the line is no JSON. Only a completed log changed behind the store's back while keeping its
    /// length and last-write time gets here, since that one is read without checking each payload (see <see cref="RunEventReader"/>).
    /// </exception>
    public RunEvent ToEvent()
    {
        try
        {
            return Parse();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is no text (a lone surrogate escape).
            throw new LogToolsException(
                "RunEventLineInvalid", ErrorKind.InvalidData, $"{RunId}:{LineNumber}",
                $"Line {LineNumber} of the log of run '{RunId}' is not a run event ({ex.Message}); the log was changed after completion " +
                "while keeping its size and time. Check it with Test-LogRun, and restore it from a backup.", ex);
        }
    }

    private RunEvent Parse()
    {
        using var document = text is null ? JsonDocument.Parse(utf8) : JsonDocument.Parse(text);
        var root = document.RootElement;
        var payload = root.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object
            ? (Sessions.DataMap?)Journal.JsonTree.Value(p, entries => new Sessions.DataMap(entries))
            : null;
        var time = root.TryGetProperty("time", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        return new RunEvent
        {
            RunId = RunId,
            Sequence = Sequence,
            Time = DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : default,
            Type = Type,
            Message = payload?["message"] as string,
            Severity = RunEnvelope.ParseSeverity(payload?["severity"] as string),
            Payload = payload,
            LineNumber = LineNumber,
        };
    }

    /// <summary>Writes the raw line's UTF-8 bytes, then <paramref name="suffix"/>, without building its text.</summary>
    internal void CopyTo(Stream output, ReadOnlySpan<byte> suffix)
    {
        if (text is null)
        {
            output.Write(utf8.Span);
        }
        else
        {
            output.Write(Encoding.UTF8.GetBytes(text));
        }

        output.Write(suffix);
    }

    /// <summary>A copy of the line with its text out of the reader's buffer, to keep beyond the call that received it.</summary>
    internal RunEventLine Keep()
    {
        var kept = new RunEventLine(RunId).Next(LineNumber, default, Sequence, Type);
        kept.text = Text;
        return kept;
    }
}
