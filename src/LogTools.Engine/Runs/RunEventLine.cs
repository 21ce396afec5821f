using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LogTools.Engine.Runs;

/// <summary>
/// One line of a run's log as a reader hands it on: its sequence and type; its text and event object are built on
/// demand, so a replay that only counts or filters allocates no string per line. The line's bytes belong to the
/// reader's buffer: read <see cref="Text"/> or call <see cref="ToEvent"/> during the call that received the line.
/// </summary>
public sealed class RunEventLine
{
    private ReadOnlyMemory<byte> utf8;
    private string? text;

    internal RunEventLine(string runId, long lineNumber, ReadOnlyMemory<byte> utf8, RunEnvelope envelope)
    {
        RunId = runId;
        LineNumber = lineNumber;
        this.utf8 = utf8;
        Envelope = envelope;
    }

    public string RunId { get; }

    public long LineNumber { get; }

    /// <summary>The raw NDJSON line.</summary>
    public string Text => text ??= Encoding.UTF8.GetString(utf8.Span);

    public long Sequence => Envelope.Sequence;

    public string Type => Envelope.Type!;

    internal RunEnvelope Envelope { get; }

    /// <summary>The line as an event object, with its payload parsed.</summary>
    public RunEvent ToEvent()
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

    /// <summary>The line with its text copied out of the reader's buffer, to keep beyond the call that received it.</summary>
    internal RunEventLine Keep()
    {
        _ = Text;
        utf8 = default;
        return this;
    }
}
