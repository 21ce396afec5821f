using System.Text;
using System.Text.Json;
using LogTools.Engine.Journal;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Journal;

public sealed class JournalWriterTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void RoundTrip_ReaderReturnsEachRecordAtTheOffsetAppendReturned()
    {
        var path = _temp.Combine(Path.Combine("runs", "r1", "events.ndjson"));
        var offsets = new List<long>();
        using (var element = JsonDocument.Parse("""{"kind":"element","n":[1,2]}"""))
        using (var writer = JournalWriter.Open(path))
        {
            Assert.Null(writer.Repair);
            offsets.Add(writer.AppendValue(new { kind = "object", text = "héllo\nworld" }));
            offsets.Add(writer.Append("""{"kind":"raw"}"""u8));
            offsets.Add(writer.AppendValue(element.RootElement));
            offsets.Add(writer.Append("42"u8));
        }

        var entries = JournalReader.Read(path).Select(e => (e.Status, e.Offset, e.LineNumber, Text: e.GetString())).ToList();

        Assert.Equal(
            [
                (JournalEntryStatus.Ok, offsets[0], 1L, """{"kind":"object","text":"héllo\nworld"}"""),
                (JournalEntryStatus.Ok, offsets[1], 2L, """{"kind":"raw"}"""),
                (JournalEntryStatus.Ok, offsets[2], 3L, """{"kind":"element","n":[1,2]}"""),
                (JournalEntryStatus.Ok, offsets[3], 4L, "42"),
            ],
            entries);
        Assert.False(File.Exists(path + ".torn"));
    }

    [Theory]
    [InlineData("{\"a\":\n1}", "line break")]
    [InlineData("{\"a\":1}\r", "line break")]
    [InlineData("\"\xFF\"", "UTF-8")]
    [InlineData("not json", "JSON")]
    [InlineData("{\"a\":1} {\"b\":2}", "JSON")]
    [InlineData("   ", "JSON")]
    [InlineData("", "empty")]
    public void Append_InvalidRecord_ThrowsAndLeavesTheFileUnchanged(string latin1Record, string expectedInMessage)
    {
        // Latin-1 maps each char to one byte, so the data can hold raw invalid UTF-8.
        var record = Encoding.Latin1.GetBytes(latin1Record);
        var path = _temp.Combine("events.ndjson");
        using var writer = JournalWriter.Open(path);
        writer.Append("""{"first":1}"""u8);
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<JournalFormatException>(() => writer.Append(record));

        Assert.Contains(expectedInMessage, error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(before.Length, writer.Append("""{"second":2}"""u8));
    }

    [Fact]
    public void Open_TornTail_MovesTheFragmentToTheSidecarAndAppendsCleanly()
    {
        var path = _temp.Combine("events.ndjson");
        var complete = "{\"a\":1}\n{\"b\":2}\n"u8.ToArray();
        byte[] fragment = [.. "{\"c\":\"cut "u8, 0xC3]; // ends inside a UTF-8 sequence: must survive byte for byte
        File.WriteAllBytes(path, [.. complete, .. fragment]);

        long appended;
        JournalRepair? repair;
        using (var writer = JournalWriter.Open(path))
        {
            repair = writer.Repair;
            appended = writer.Append("""{"d":4}"""u8);
        }

        Assert.NotNull(repair);
        Assert.Equal(complete.Length, repair.Offset);
        Assert.Equal(fragment.Length, repair.Length);
        Assert.Equal(path + ".torn", repair.SidecarPath);
        Assert.Equal(complete.Length, appended);
        Assert.Equal([.. complete, .. "{\"d\":4}\n"u8.ToArray()], File.ReadAllBytes(path));

        var sidecar = File.ReadAllBytes(repair.SidecarPath);
        var headerEnd = Array.IndexOf(sidecar, (byte)'\n');
        using var header = JsonDocument.Parse(sidecar.AsMemory(0, headerEnd));
        Assert.Equal("events.ndjson", header.RootElement.GetProperty("journal").GetString());
        Assert.Equal(complete.Length, header.RootElement.GetProperty("offset").GetInt64());
        Assert.Equal(fragment.Length, header.RootElement.GetProperty("length").GetInt64());
        Assert.Equal([.. fragment, (byte)'\n'], sidecar[(headerEnd + 1)..]);
    }

    [Fact]
    public void Open_FileWithoutAnyNewline_MovesAllOfItAside()
    {
        var path = _temp.Combine("events.ndjson");
        File.WriteAllBytes(path, "{\"partial\":"u8.ToArray());

        using (var writer = JournalWriter.Open(path))
        {
            Assert.Equal(0, writer.Repair?.Offset);
            writer.Append("{}"u8);
        }

        Assert.Equal("{}\n"u8.ToArray(), File.ReadAllBytes(path));
        Assert.EndsWith("\n{\"partial\":\n", File.ReadAllText(path + ".torn"));
    }

    [Fact]
    public void Open_WhileAnotherWriterHasTheJournal_IsRefusedWithAClearError_AndReadersStillRead()
    {
        var path = _temp.Combine("events.ndjson");
        using (var first = JournalWriter.Open(path))
        {
            first.Append("""{"n":1}"""u8);

            var error = Assert.Throws<JournalInUseException>(() => JournalWriter.Open(path));
            Assert.IsAssignableFrom<IOException>(error);
            Assert.Contains("already open for writing", error.Message);

            first.Append("""{"n":2}"""u8);
            Assert.Equal(2, JournalReader.Read(path).Count(e => e.Status == JournalEntryStatus.Ok));
        }

        using var second = JournalWriter.Open(path);
        Assert.Equal(16, second.Append("""{"n":3}"""u8));
    }

    [Fact]
    public void FlushPolicy_EveryRecord_MakesEachRecordVisibleToReadersAtOnce()
    {
        var path = _temp.Combine("events.ndjson");
        using var writer = JournalWriter.Open(path);
        for (var i = 1; i <= 3; i++)
        {
            writer.AppendValue(new { i });
            Assert.Equal(i, CountRecords(path));
        }
    }

    [Fact]
    public void FlushPolicy_EveryThreeRecords_MakesRecordsVisibleInBatches_AndDisposeWritesTheRest()
    {
        var path = _temp.Combine("events.ndjson");
        var options = new JournalWriterOptions { FlushPolicy = JournalFlushPolicy.EveryRecords(3) };
        var seen = new List<int>();
        using (var writer = JournalWriter.Open(path, options))
        {
            for (var i = 1; i <= 5; i++)
            {
                writer.AppendValue(new { i });
                seen.Add(CountRecords(path));
            }
        }

        Assert.Equal([0, 0, 3, 3, 3], seen);
        Assert.Equal(5, CountRecords(path));
    }

    [Fact]
    public void FlushPolicy_Interval_FlushesOnTheFirstAppendAfterTheInterval()
    {
        var path = _temp.Combine("events.ndjson");
        var options = new JournalWriterOptions { FlushPolicy = JournalFlushPolicy.Every(TimeSpan.FromMilliseconds(100)) };
        using var writer = JournalWriter.Open(path, options);

        writer.Append("1"u8);
        var afterFirst = CountRecords(path);
        Thread.Sleep(150);
        writer.Append("2"u8);

        Assert.Equal(0, afterFirst);
        Assert.Equal(2, CountRecords(path));
    }

    [Fact]
    public void Open_GzipFile_IsRefusedAndLeftUnchanged()
    {
        var path = _temp.Combine("events.ndjson.gz");
        byte[] gzip = [0x1f, 0x8b, 0x08, 0x00, 0x0a, 0x00];
        File.WriteAllBytes(path, gzip);

        Assert.Throws<NotSupportedException>(() => JournalWriter.Open(path));
        Assert.Equal(gzip, File.ReadAllBytes(path));
    }

    private static int CountRecords(string path) => JournalReader.Read(path).Count(e => e.Status == JournalEntryStatus.Ok);
}
