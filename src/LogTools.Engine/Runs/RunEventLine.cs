namespace LogTools.Engine.Runs;

/// <summary>One line of a run's log as a reader hands it on: its text, sequence and type (the event object is built on demand).</summary>
public sealed class RunEventLine
{
    internal RunEventLine(string runId, long lineNumber, string text, RunEnvelope envelope)
    {
        RunId = runId;
        LineNumber = lineNumber;
        Text = text;
        Envelope = envelope;
    }

    public string RunId { get; }

    public long LineNumber { get; }

    /// <summary>The raw NDJSON line.</summary>
    public string Text { get; }

    public long Sequence => Envelope.Sequence;

    public string Type => Envelope.Type!;

    internal RunEnvelope Envelope { get; }

    /// <summary>The line as an event object, with its payload parsed.</summary>
    public RunEvent ToEvent()
    {
        using var document = System.Text.Json.JsonDocument.Parse(Text);
        var payload = document.RootElement.TryGetProperty("payload", out var p) && p.ValueKind == System.Text.Json.JsonValueKind.Object
            ? (Sessions.DataMap?)Journal.JsonTree.Value(p, entries => new Sessions.DataMap(entries))
            : null;
        return new RunEvent
        {
            RunId = RunId,
            Sequence = Sequence,
            Time = DateTimeOffset.TryParse(Envelope.Time, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : default,
            Type = Type,
            Message = payload?["message"] as string,
            Severity = RunEnvelope.ParseSeverity(payload?["severity"] as string),
            Payload = payload,
            LineNumber = LineNumber,
        };
    }
}
