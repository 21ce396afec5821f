using System.Text.Json;
using LogTools.Engine.Runs;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Runs;

public sealed class RunEventWriterTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void EachLineIsOneEnvelope_WithItsOwnTimeTypeAndEscapedText_ThoughThePartsAreCachedBetweenEvents()
    {
        var path = temp.Combine("run", RunLayout.EventsFile);
        var start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, 123, TimeSpan.Zero);
        var events = new[]
        {
            new NewRunEvent { Type = "console.line", Time = start, Message = "plain" },
            new NewRunEvent { Type = "console.line", Time = start.AddTicks(10), Message = "same millisecond, \"quoted\"\nnew line, é ☃" },
            new NewRunEvent { Type = "console.line", Time = start.AddMilliseconds(1), Message = "next millisecond", Stream = "stderr" },
            new NewRunEvent { Type = "odd \"type\"", Time = start.AddHours(2), Severity = LogEventSeverity.Error, PayloadJson = """{"row":4,"file":"a.csv"}""" },
            new NewRunEvent { Type = "console.line", Time = start.AddHours(2), Message = "back", PayloadJson = "[1,2]" },
        };
        using (var writer = RunEventWriter.Open(path, "run-\"1\""))
        {
            foreach (var e in events)
            {
                writer.Append(e);
            }
        }

        var lines = File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1L, 2, 3, 4, 5], lines.Select(l => l.GetProperty("sequence").GetInt64()));
        Assert.Equal(
            ["2026-12-01T10:00:00.123Z", "2026-12-01T10:00:00.123Z", "2026-12-01T10:00:00.124Z", "2026-12-01T12:00:00.123Z", "2026-12-01T12:00:00.123Z"],
            lines.Select(l => l.GetProperty("time").GetString()));
        Assert.Equal(events.Select(e => e.Type), lines.Select(l => l.GetProperty("type").GetString()));
        Assert.All(lines, l => Assert.Equal("run-\"1\"", l.GetProperty("run_id").GetString()));
        Assert.Equal(events[1].Message, lines[1].GetProperty("payload").GetProperty("message").GetString());
        Assert.Equal("stderr", lines[2].GetProperty("payload").GetProperty("stream").GetString());
        Assert.Equal("error", lines[3].GetProperty("payload").GetProperty("severity").GetString());
        Assert.Equal(4, lines[3].GetProperty("payload").GetProperty("row").GetInt32());
        Assert.Equal(2, lines[4].GetProperty("payload").GetProperty("value")[1].GetInt32());
        Assert.Equal(["sequence", "time", "type", "run_id", "payload"], lines[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void ALoneSurrogate_InTheMessageTypeOrStream_IsWrittenAsTheReplacementCharacter_AndTheNextLinesStayWhole()
    {
        var path = temp.Combine("run", RunLayout.EventsFile);
        var now = DateTimeOffset.UtcNow;
        using (var writer = RunEventWriter.Open(path, "run-1"))
        {
            // A quote makes the text need escaping: the encoder that refused the surrogate ran half-way through the line.
            writer.Append(new NewRunEvent { Type = RunEventTypes.ConsoleLine, Time = now, Message = "bad \uD800 \"quoted\"" });
            writer.Append(new NewRunEvent { Type = "odd\uDC00", Time = now, Message = "plain \uDBFF", Stream = "err\uD800" });
            writer.Append(new NewRunEvent { Type = "odd\uDC00", Time = now, Message = "pair \U0001F600 kept", PayloadJson = """{"row":1}""" });
        }

        var lines = File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1L, 2, 3], lines.Select(l => l.GetProperty("sequence").GetInt64()));
        Assert.Equal("bad \uFFFD \"quoted\"", lines[0].GetProperty("payload").GetProperty("message").GetString());
        Assert.Equal(["console.line", "odd\uFFFD", "odd\uFFFD"], lines.Select(l => l.GetProperty("type").GetString()));
        Assert.Equal("plain \uFFFD", lines[1].GetProperty("payload").GetProperty("message").GetString());
        Assert.Equal("err\uFFFD", lines[1].GetProperty("payload").GetProperty("stream").GetString());
        Assert.Equal("pair \U0001F600 kept", lines[2].GetProperty("payload").GetProperty("message").GetString());
    }
}
