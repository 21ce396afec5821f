using System.Text;
using System.Text.Json;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Runs;

/// <summary>
/// The fast scan that proves replayed lines well formed must accept exactly what the JSON reader accepts: on generated
/// corpora of event lines (tricky escapes, nested payloads, every kind of number and literal) and on every mutation of
/// them (truncated, a byte removed or replaced, bytes inserted, trailing content, invalid UTF-8), the envelope read
/// with the scan equals the envelope read by the reader alone, and both equal an independent oracle (JsonDocument).
/// </summary>
[Trait("Category", TestBackend.Category)]
public sealed class RunEnvelopeScanTests : IDisposable
{
    private static readonly byte[] Interesting =
        [(byte)'"', (byte)'\\', (byte)'{', (byte)'}', (byte)'[', (byte)']', (byte)',', (byte)':', (byte)' ', (byte)'\t', 0x00, 0x1F, 0x7F,
         0x80, 0xC3, 0xFF, (byte)'x', (byte)'0', (byte)'1', (byte)'-', (byte)'+', (byte)'.', (byte)'e', (byte)'u', (byte)'n', (byte)'/'];

    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void EveryLineTheWriterWrites_IsProvedByTheScan()
    {
        var path = temp.Combine("events.ndjson");
        var random = new Random(11);
        using (var writer = RunEventWriter.Open(path, "run-ä\"1", TimeSpan.Zero))
        {
            for (var i = 0; i < 2_000; i++)
            {
                writer.Append(new NewRunEvent
                {
                    Type = i % 7 == 0 ? "validation.issue" : RunEventTypes.ConsoleLine,
                    Time = DateTimeOffset.UnixEpoch.AddMilliseconds(random.NextInt64(1L << 42)),
                    Message = i % 5 == 0 ? null : Text(random) + (i % 2 == 0 ? "" : " \"quoted\" C:\\path\t\u001b[31m é 😀"),
                    Severity = i % 3 == 0 ? LogTools.Engine.Sessions.LogEventSeverity.Warning : null,
                    Stream = i % 4 == 0 ? "stderr" : null,
                    PayloadJson = i % 6 == 0 ? Payload(random) : null,
                });
            }
        }

        var count = 0L;
        foreach (var line in File.ReadAllLines(path).Select(Encoding.UTF8.GetBytes))
        {
            count++;
            Assert.True(RunEnvelopeScan.TryRead(line, out var sequence, out var type), Encoding.UTF8.GetString(line));
            Assert.Equal(count, sequence);
            Assert.Equal(Oracle(line)!.Value.Type, Encoding.UTF8.GetString(type));
        }

        Assert.Equal(2_000, count);
    }

    [Fact]
    public void OnGeneratedLines_TheScanAgreesWithTheReaderAndTheOracle()
    {
        var random = new Random(2026);
        var proved = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var line = Envelope(random);
            proved += RunEnvelopeScan.TryRead(line, out _, out _) ? 1 : 0;
            AssertAgree(line);
        }

        // The generator mostly writes lines the scan can prove; if it proved none, the comparison would prove nothing.
        Assert.InRange(proved, 5_000, 20_000);
    }

    [Fact]
    public void OnEveryMutationOfGeneratedLines_TheScanAgreesWithTheReaderAndTheOracle()
    {
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            var line = Envelope(random);
            for (var cut = 0; cut < line.Length; cut++)
            {
                AssertAgree(line[..cut]);
                AssertAgree([.. line[..cut], .. line[(cut + 1)..]]);
                var b = Interesting[random.Next(Interesting.Length)];
                AssertAgree([.. line[..cut], b, .. line[(cut + 1)..]]);
                AssertAgree([.. line[..cut], b, .. line[cut..]]);
            }

            AssertAgree([.. line, .. " x"u8]);
            AssertAgree([.. line, .. "}"u8]);
            AssertAgree([.. line, .. " "u8]);
            AssertAgree([.. " "u8, .. line]);
            AssertAgree([0xEF, 0xBB, 0xBF, .. line]);
        }
    }

    [Fact]
    public void Replay_ReportsALineWithContentAfterItsObjectOrAnUnclosedObject_ByItsNumber_AndReadsTheRest()
    {
        var ledger = new RunLedger(TestBackend.Open(temp.Combine("store")));
        var run = ledger.Start(null, null, "test", RunStatus.Running);
        ledger.Append(run.RunId, [new NewRunEvent { Type = RunEventTypes.ConsoleLine, Time = DateTimeOffset.UtcNow, Message = "one" }]);
        var good = File.ReadAllLines(run.EventsPath).Length;
        File.AppendAllText(run.EventsPath,
            """{"sequence":""" + (good + 1) + ""","time":"2026-12-01T10:00:00.000Z","type":"console.line","run_id":"r","payload":{}} trailing""" + "\n" +
            """{"sequence":{"sequence":""" + (good + 2) + ""","type":"console.line"}""" + "\n" +
            """{"sequence":""" + (good + 3) + ""","time":"2026-12-01T10:00:00.000Z","type":"console.line","run_id":"r","payload":{"message":"four"}}""" + "\n");
        var read = new List<long>();
        var problems = new List<LogToolsException>();

        RunEventReader.Read(ledger.Get(run.RunId), new RunEventQuery(), line => read.Add(line.Sequence), problems.Add, CancellationToken.None);

        Assert.Equal([.. Enumerable.Range(1, good).Select(i => (long)i), good + 3L], read);
        Assert.Equal(["RunEventLineInvalid", "RunEventLineInvalid"], problems.Select(p => p.ErrorId));
        Assert.Equal([$"{run.EventsPath}:{good + 1}", $"{run.EventsPath}:{good + 2}"], problems.Select(p => p.Target?.ToString()));
    }

    [Theory]
    [InlineData("""{"sequence":7,"time":"2026-12-01T10:00:00.123Z","type":"console.line","run_id":"r1","payload":{"message":"plain"}}""", 7L)]
    [InlineData("""{"sequence":8,"type":"t","payload":{"message":"esc \" \\ \/ \b \f \n \r \t \u001b[31m é ☃ \ud83d\ude00","n":[1,-2.5,3e4,0,-0,1E-2,true,false,null,{},[]]}}""", 8L)]
    [InlineData("""{ "sequence" : 9 , "type" : "x" , "payload" : { "a" : [ 1 , { "b" : null } ] } }""", 9L)]
    [InlineData("""{"type":"a","sequence":1,"sequence":2,"type":"b"}""", 2L)]
    [InlineData("""{"sequence":3,"type":"t\u0041"}""", 3L)]
    [InlineData("""{"sequ\u0065nce":3,"type":"t"}""", 3L)]
    [InlineData("""{"sequence":3,"type":""}""", 3L)]
    [InlineData("""{"sequence":0,"type":"t"}""", null)]
    [InlineData("""{"sequence":-4,"type":"t"}""", null)]
    [InlineData("""{"sequence":4.0,"type":"t"}""", null)]
    [InlineData("""{"sequence":99999999999999999999,"type":"t"}""", null)]
    [InlineData("""{"sequence":"5","type":"t"}""", null)]
    [InlineData("""{"sequence":5,"type":7}""", null)]
    [InlineData("""{"sequence":5}""", null)]
    [InlineData("""{"sequence":5,"type":"t"} trailing""", null)]
    [InlineData("""{"sequence":5,"type":"t"}{}""", null)]
    [InlineData("""{"sequence":{"sequence":5,"type":"t"}""", null)]
    [InlineData("""{"type":["x"],"sequence":5,"payload":{"type":"t"}""", null)]
    [InlineData("""{"sequence":5,"type":"t","payload":{"message":"cut""", null)]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":1,}}""", null)]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":01}}""", null)]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":1.}}""", null)]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":tru}}""", null)]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":"bad \x"}}""", null)]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a":"bad \u12g4"}}""", null)]
    [InlineData("""{"sequence":5,"type":"t","payload":{"a" 1}}""", null)]
    [InlineData("""{"sequence":5,"type":"t","payload":[1 2]}""", null)]
    [InlineData("""{"sequence":5 "type":"t"}""", null)]
    [InlineData("""{"sequence":5,"type":"\ud800"}""", null)]
    [InlineData("""[1]""", null)]
    [InlineData("""{}""", null)]
    public void KnownLines_AreReadAsTheOracleReadsThem(string text, long? sequence)
    {
        var line = Encoding.UTF8.GetBytes(text);
        AssertAgree(line);
        Assert.Equal(sequence, RunEnvelope.Read(line, withPayload: false)?.Sequence);
    }

    [Fact]
    public void ControlCharactersInvalidUtf8AndDeepNesting_AreJudgedAlike()
    {
        foreach (var line in new[]
        {
            "{\"sequence\":5,\"type\":\"t\",\"payload\":{\"a\":\"tab\tinside\"}}"u8.ToArray(),
            "{\"sequence\":5,\t\"type\":\"t\"}"u8.ToArray(),
            [.. "{\"sequence\":5,\"type\":\"t\",\"payload\":"u8, .. Enumerable.Repeat((byte)'[', 70), .. Enumerable.Repeat((byte)']', 70), (byte)'}'],
            [.. "{\"sequence\":5,\"type\":\"t\",\"payload\":"u8, .. Enumerable.Repeat((byte)'[', 40), .. Enumerable.Repeat((byte)']', 40), (byte)'}'],
            [.. "{\"sequence\":5,\"type\":\"t"u8, 0xFF, .. "\"}"u8],
            [.. "{\"sequence\":5,\"type\":\"t\",\"payload\":{\"m\":\""u8, 0xC3, 0x28, .. "\"}}"u8],
            [.. "{\"sequence\":5,\"type\":\"t\",\"payload\":{\""u8, 0xFF, .. "\":1}}"u8],
        })
        {
            AssertAgree(line);
        }
    }

    private static void AssertAgree(byte[] line)
    {
        var expected = Oracle(line);
        var reader = RunEnvelope.ReadWithReader(line, withPayload: false);
        var read = RunEnvelope.Read(line, withPayload: false);
        var shown = Convert.ToHexString(line) + " " + Encoding.UTF8.GetString(line);
        Assert.True(expected?.Sequence == reader?.Sequence && expected?.Type == reader?.Type, "reader: " + shown);
        Assert.True(expected?.Sequence == read?.Sequence && expected?.Type == read?.Type, "scan: " + shown);
    }

    // What a run event line is, read with JsonDocument: one JSON object with nothing after it, its last top-level
    // sequence a positive long and its last top-level type a string.
    private static (long Sequence, string Type)? Oracle(byte[] line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            long sequence = 0;
            string? type = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("sequence"u8))
                {
                    sequence = property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var s) ? s : 0;
                }
                else if (property.NameEquals("type"u8))
                {
                    type = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                }
            }

            return sequence > 0 && type is not null ? (sequence, type) : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    // An event line shaped like the writer's, sometimes with its fields reordered, repeated or missing, spaces
    // between tokens, or an odd sequence.
    private static byte[] Envelope(Random random)
    {
        byte[] space = random.Next(6) == 0 ? [(byte)' '] : [];
        var fields = new List<byte[]>
        {
            Field("sequence", random.Next(12) switch
            {
                0 => "0"u8.ToArray(),
                1 => "-3"u8.ToArray(),
                2 => "1.0"u8.ToArray(),
                3 => "2e3"u8.ToArray(),
                4 => "123456789012345678901"u8.ToArray(),
                5 => "\"9\""u8.ToArray(),
                _ => Encoding.UTF8.GetBytes(random.NextInt64(1, long.MaxValue >> random.Next(62)).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            }),
            Field("time", Encoding.UTF8.GetBytes($"\"{StoreTime.ToText(DateTimeOffset.UnixEpoch.AddMilliseconds(random.NextInt64(1L << 42)))}\"")),
            Field("type", random.Next(10) == 0 ? Value(random, 3) : String(random, brief: true)),
            Field("run_id", String(random, brief: true)),
            Field("payload", random.Next(4) == 0 ? Value(random, 0) : Object(random, 1)),
        };
        if (random.Next(8) == 0)
        {
            fields.RemoveAt(random.Next(fields.Count));
        }

        if (random.Next(8) == 0)
        {
            fields.Add(fields[random.Next(fields.Count)]);
        }

        if (random.Next(8) == 0)
        {
            Shuffle(random, fields);
        }

        var line = new List<byte> { (byte)'{' };
        for (var i = 0; i < fields.Count; i++)
        {
            line.AddRange(i > 0 ? [.. space, (byte)',', .. space] : space);
            line.AddRange(fields[i]);
        }

        line.AddRange([.. space, (byte)'}']);
        return [.. line];

        byte[] Field(string name, byte[] value) => [.. String(name), .. space, (byte)':', .. space, .. value];
    }

    // A payload the writer can copy: JSON with no escaped surrogate, which it would have to turn into text.
    private static string Payload(Random random)
    {
        while (true)
        {
            var text = Encoding.UTF8.GetString(Value(random, 0));
            if (!System.Text.RegularExpressions.Regex.IsMatch(text, @"\\u[dD][89a-fA-F]"))
            {
                return text;
            }
        }
    }

    private static byte[] Value(Random random, int depth) => random.Next(depth > 5 ? 4 : 7) switch
    {
        0 => String(random, brief: false),
        1 => Number(random),
        2 => random.Next(3) switch { 0 => "true"u8.ToArray(), 1 => "false"u8.ToArray(), _ => "null"u8.ToArray() },
        3 => String(random, brief: true),
        4 => Object(random, depth + 1),
        _ => Array(random, depth + 1),
    };

    private static byte[] Object(Random random, int depth)
    {
        var members = Enumerable.Range(0, random.Next(5)).Select(_ => (byte[])[.. String(random, brief: true), (byte)':', .. Value(random, depth)]);
        return [(byte)'{', .. Join(members), (byte)'}'];
    }

    private static byte[] Array(Random random, int depth) =>
        [(byte)'[', .. Join(Enumerable.Range(0, random.Next(5)).Select(_ => Value(random, depth))), (byte)']'];

    private static byte[] Join(IEnumerable<byte[]> parts) => [.. parts.SelectMany((p, i) => i == 0 ? p : [(byte)',', .. p])];

    private static byte[] Number(Random random)
    {
        var text = (random.Next(2) == 0 ? "-" : "") + (random.Next(3) == 0 ? "0" : Prefix(random.NextInt64(1, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture), random.Next(1, 19)))
            + (random.Next(3) == 0 ? "." + random.Next(1000) : "")
            + (random.Next(4) == 0 ? (random.Next(2) == 0 ? "e" : "E") + (random.Next(3) switch { 0 => "+", 1 => "-", _ => "" }) + random.Next(400) : "");
        return Encoding.UTF8.GetBytes(text);
    }

    private static byte[] String(Random random, bool brief) =>
        [(byte)'"', .. brief ? Encoding.UTF8.GetBytes(random.Next(4) == 0 ? "console.line" : Prefix(Text(random), random.Next(12))) : Escaped(random), (byte)'"'];

    private static byte[] String(string text) => [(byte)'"', .. Encoding.UTF8.GetBytes(text), (byte)'"'];

    // JSON string content with every kind of escape (some of surrogates, paired or lone) and raw non-ASCII text.
    private static byte[] Escaped(Random random)
    {
        var parts = new List<string>();
        for (var i = random.Next(8); i > 0; i--)
        {
            parts.Add(random.Next(12) switch
            {
                0 => "\\\"",
                1 => "\\\\",
                2 => "\\/",
                3 => "\\" + "bfnrt"[random.Next(5)],
                4 => "\\u" + random.Next(0x10000).ToString(random.Next(2) == 0 ? "x4" : "X4", System.Globalization.CultureInfo.InvariantCulture),
                5 => "\\ud83d\\ude00",
                6 => "é☃😀",
                _ => Text(random),
            });
        }

        return Encoding.UTF8.GetBytes(string.Concat(parts));
    }

    private static string Text(Random random) =>
        new([.. Enumerable.Range(0, random.Next(40)).Select(_ => "abcdefghijklmnopqrstuvwxyz ABC.,:;{}[]0123456789-+/"[random.Next(50)])]);

    private static string Prefix(string text, int length) => text[..Math.Min(length, text.Length)];

    private static void Shuffle(Random random, List<byte[]> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
