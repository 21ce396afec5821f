using System.Text.Json;
using LogTools.Engine.Journal;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Engine.Runs;

/// <summary>What Complete-LogRun learns by streaming a run's own log: counts by type, first and last time, worst severity.</summary>
internal sealed class RunSummary
{
    // Counted in objects, sorted when written: the framework's sorted and keyed collections over a count (a value type)
    // are compiled at run time in every new process, and most runs are their process's only one.
    private readonly Dictionary<string, Tally> types = new(StringComparer.Ordinal);

    public long Events { get; private set; }

    public long Bytes { get; private set; }

    public string? FirstTime { get; private set; }

    public string? LastTime { get; private set; }

    public LogEventSeverity? MaxSeverity { get; private set; }

    public long ConsoleLines { get; private set; }

    public long ValidationIssues { get; private set; }

    public string? LastConsoleLine { get; private set; }

    /// <summary>Events the size cap dropped, as the log.truncated marker says.</summary>
    public long DroppedEvents { get; private set; }

    public long DroppedBytes { get; private set; }

    public static RunSummary Of(string path)
    {
        var summary = new RunSummary();
        if (!File.Exists(path))
        {
            return summary;
        }

        foreach (var entry in JournalReader.Read(path, new JournalReadOptions { ValidateJson = false }))
        {
            summary.Bytes = entry.Offset + entry.Length + 1;
            if (entry.Status == JournalEntryStatus.Ok && RunEnvelope.Read(entry.Utf8.Span) is { } e)
            {
                summary.Add(e);
                if (e.Type == RunEventTypes.Truncated)
                {
                    summary.AddTruncation(entry.Utf8.Span);
                }
            }
        }

        return summary;
    }

    public void Add(RunEnvelope e)
    {
        Events++;
        if (!types.TryGetValue(e.Type!, out var tally))
        {
            types[e.Type!] = tally = new Tally();
        }

        tally.Count++;
        FirstTime ??= e.Time;
        LastTime = e.Time ?? LastTime;
        if (e.Severity is { } s && (MaxSeverity is null || s > MaxSeverity))
        {
            MaxSeverity = s;
        }

        if (e.Type == RunEventTypes.ConsoleLine)
        {
            ConsoleLines++;
            LastConsoleLine = e.Message ?? LastConsoleLine;
        }
        else if (e.Type!.StartsWith("validation.", StringComparison.Ordinal))
        {
            ValidationIssues++;
        }
    }

    private void AddTruncation(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object)
        {
            DroppedEvents += payload.TryGetProperty("dropped_events", out var events) && events.TryGetInt64(out var n) ? n : 0;
            DroppedBytes += payload.TryGetProperty("dropped_bytes", out var bytes) && bytes.TryGetInt64(out var b) ? b : 0;
        }
    }

    /// <summary>The summary as JSON, with the caller's own values (run.completed's payload) after the computed ones.</summary>
    public string ToJson(string? callerJson)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("events", Events);
            json.WriteNumber("bytes", Bytes);
            json.WriteStartObject("types");
            var names = new string[types.Count];
            types.Keys.CopyTo(names, 0);
            Array.Sort(names, StringComparer.Ordinal);
            foreach (var type in names)
            {
                json.WriteNumber(type, types[type].Count);
            }

            json.WriteEndObject();
            json.WriteString("first_time", FirstTime);
            json.WriteString("last_time", LastTime);
            if (FirstTime is not null && LastTime is not null)
            {
                json.WriteNumber("duration_ms", (long)(StoreTime.Parse(LastTime) - StoreTime.Parse(FirstTime)).TotalMilliseconds);
            }

            json.WriteString("max_severity", MaxSeverity?.ToString().ToLowerInvariant());
            json.WriteNumber("console_lines", ConsoleLines);
            json.WriteNumber("validation_issues", ValidationIssues);
            json.WriteNumber("dropped_events", DroppedEvents);
            json.WriteNumber("dropped_bytes", DroppedBytes);
            if (callerJson is not null)
            {
                using var caller = JsonDocument.Parse(callerJson);
                if (caller.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in caller.RootElement.EnumerateObject())
                    {
                        property.WriteTo(json);
                    }
                }
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed class Tally
    {
        public long Count;
    }
}
