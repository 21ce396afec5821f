using System.IO.Compression;
using System.Text;
using LogTools.Engine.Journal;
using LogTools.Tests.Support;

namespace LogTools.Engine.Tests.Journal;

public sealed class JournalReaderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TornLastLine_IsReportedAndNotConsumed_EarlierLinesAreReturned()
    {
        var path = _temp.Combine("events.ndjson");
        File.WriteAllText(path, "{\"a\":1}\n{\"b\":2}\n{\"c\":");

        using var reader = JournalReader.Open(path);
        var entries = reader.ReadEntries().Select(e => (e.Status, e.Offset, e.Length)).ToList();

        Assert.Equal([(JournalEntryStatus.Ok, 0L, 7L), (JournalEntryStatus.Ok, 8L, 7L), (JournalEntryStatus.Torn, 16L, 5L)], entries);
        Assert.Equal(16, reader.EndOffset);
    }

    [Fact]
    public void ByteOrderMark_AtTheStart_IsNoPartOfTheFirstRecord_ButOffsetsCountIt()
    {
        var path = _temp.Combine("notepad.jsonl");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "{\"a\":1}\n"u8, 0xEF, 0xBB, 0xBF, .. "{\"b\":2}\n"u8]);

        using var reader = JournalReader.Open(path, new JournalReadOptions { ValidateJson = true });
        var entries = reader.ReadEntries().Select(e => (e.Status, e.Offset, e.Length, Text: e.Status == JournalEntryStatus.Ok ? e.GetString() : null)).ToList();

        // The mark is skipped only where a file starts: one later in the file is a defect of its line.
        Assert.Equal([(JournalEntryStatus.Ok, 0L, 10L, "{\"a\":1}"), (JournalEntryStatus.InvalidJson, 11L, 10L, null)], entries);
        Assert.Equal(22, reader.EndOffset);
    }

    [Fact]
    public void IncrementalRead_FromEndOffset_ReadsTheTornLineOnceItIsComplete()
    {
        var path = _temp.Combine("events.ndjson");
        File.WriteAllText(path, "{\"a\":1}\n{\"b\":");
        long resume;
        using (var first = JournalReader.Open(path))
        {
            Assert.Single(first.ReadEntries(), e => e.Status == JournalEntryStatus.Ok);
            resume = first.EndOffset;
        }

        File.AppendAllText(path, "2}\n{\"c\":3}\n");
        using var second = JournalReader.Open(path, new JournalReadOptions { StartOffset = resume });
        var texts = second.ReadEntries().Select(e => e.GetString()).ToList();

        Assert.Equal(["{\"b\":2}", "{\"c\":3}"], texts);
        Assert.Equal(new FileInfo(path).Length, second.EndOffset);
    }

    [Fact]
    public void InvalidLinesInTheMiddle_AreReported_AndReadingContinues()
    {
        var path = _temp.Combine("events.ndjson");
        byte[] content = [.. "{\"a\":1}\r\n\n  \r\n\"bad "u8, 0xFF, .. "\"\nnot json\n{\"z\":26}\n"u8];
        File.WriteAllBytes(path, content);

        var entries = JournalReader.Read(path).Select(e => (e.LineNumber, e.Status, e.Offset, e.Length, e.Problem)).ToList();

        Assert.Equal(
            [
                (1L, JournalEntryStatus.Ok, 0L, 7L),
                (4L, JournalEntryStatus.InvalidUtf8, 14L, 7L),
                (5L, JournalEntryStatus.InvalidJson, 22L, 8L),
                (6L, JournalEntryStatus.Ok, 31L, 8L),
            ],
            entries.Select(e => (e.LineNumber, e.Status, e.Offset, e.Length)));
        Assert.Null(entries[0].Problem);
        Assert.StartsWith("Line 4 at offset 14 is not valid UTF-8", entries[1].Problem);
        Assert.StartsWith("Line 5 at offset 22 is not a single well-formed JSON value", entries[2].Problem);
    }

    [Fact]
    public void ValidateJsonOff_AcceptsAnyUtf8Line()
    {
        var path = _temp.Combine("events.ndjson");
        File.WriteAllText(path, "not json\n");

        var entry = Assert.Single(JournalReader.Read(path, new JournalReadOptions { ValidateJson = false }));

        Assert.Equal((JournalEntryStatus.Ok, "not json"), (entry.Status, entry.GetString()));
    }

    [Fact]
    public void LineLongerThanMaxLineBytes_IsSkippedWithoutBufferingIt_AndTheNextLinesAreRead()
    {
        const int hugeLength = 10 * 1024 * 1024;
        var path = _temp.Combine("events.ndjson");
        WriteWithHugeLine(path, hugeLength);
        var options = new JournalReadOptions { MaxLineBytes = 256 * 1024 };

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var entries = new List<(JournalEntryStatus, long, long)>();
        foreach (var entry in JournalReader.Read(path, options))
        {
            entries.Add((entry.Status, entry.Offset, entry.Length));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(
            [(JournalEntryStatus.Ok, 0L, 7L), (JournalEntryStatus.TooLong, 8L, hugeLength), (JournalEntryStatus.Ok, 8L + hugeLength + 2, 7L)],
            entries);
        Assert.True(allocated < 2_000_000, $"Reading allocated {allocated:N0} bytes.");
    }

    [Fact]
    public void LineShorterThanMaxLineBytes_IsReadWhole()
    {
        const int hugeLength = 10 * 1024 * 1024;
        var path = _temp.Combine("events.ndjson");
        WriteWithHugeLine(path, hugeLength);

        var entries = JournalReader.Read(path, new JournalReadOptions { MaxLineBytes = 16 * 1024 * 1024 })
            .Select(e => (e.Status, e.Length, Text: e.GetString()))
            .ToList();

        Assert.Equal([JournalEntryStatus.Ok, JournalEntryStatus.Ok, JournalEntryStatus.Ok], entries.Select(e => e.Status));
        Assert.Equal([7L, hugeLength, 7L], entries.Select(e => e.Length));
        Assert.Equal($"\"{new string('x', hugeLength - 2)}\"", entries[1].Text);
    }

    [Fact]
    public void LargeFile_IsReadWithConstantMemory()
    {
        const int lineCount = 2_000_000;
        var line = "{\"ts\":\"2024-05-01T12:00:00.000Z\",\"level\":\"info\",\"message\":\"a log line of about 100 bytes\"}\n"u8.ToArray();
        var path = _temp.Combine("big.ndjson");
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            for (var i = 0; i < lineCount; i++)
            {
                file.Write(line);
            }
        }

        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long records = 0, lastOffset = 0;
        foreach (var entry in JournalReader.Read(path))
        {
            records += entry.Status == JournalEntryStatus.Ok ? 1 : 0;
            lastOffset = entry.Offset;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        Assert.Equal(lineCount, records);
        Assert.Equal((long)(lineCount - 1) * line.Length, lastOffset);
        Assert.True(allocated < 1_000_000, $"Reading {(long)lineCount * line.Length:N0} bytes allocated {allocated:N0} bytes.");
    }

    [Fact]
    public void Gzip_IsReadTransparently_ByContentNotName_IncludingMultipleMembers()
    {
        var plainPath = _temp.Combine("events.ndjson");
        var lines = Enumerable.Range(1, 1000).Select(i => $"{{\"i\":{i}}}\n").ToArray();
        File.WriteAllText(plainPath, string.Concat(lines));
        var expected = JournalReader.Read(plainPath).Select(e => (e.Offset, e.GetString())).ToList();
        var single = _temp.Combine("events.ndjson.gz");
        File.WriteAllBytes(single, Gzip(string.Concat(lines)));
        var multi = _temp.Combine("rotated.log");
        File.WriteAllBytes(multi, [.. Gzip(string.Concat(lines[..400])), .. Gzip(string.Concat(lines[400..]))]);

        foreach (var path in new[] { single, multi })
        {
            using var reader = JournalReader.Open(path);
            Assert.True(reader.IsCompressed);
            Assert.Equal(expected, reader.ReadEntries().Select(e => (e.Offset, e.GetString())).ToList());
            Assert.Equal(new FileInfo(plainPath).Length, reader.EndOffset);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StartOffset_SkipsToThatLine_InPlainAndGzipJournals(bool gzip)
    {
        var path = _temp.Combine("events.ndjson");
        const string content = "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n";
        File.WriteAllBytes(path, gzip ? Gzip(content) : Encoding.UTF8.GetBytes(content));

        var entries = JournalReader.Read(path, new JournalReadOptions { StartOffset = 8 })
            .Select(e => (e.LineNumber, e.Offset, e.GetString()))
            .ToList();

        Assert.Equal([(1L, 8L, "{\"b\":2}"), (2L, 16L, "{\"c\":3}")], entries);
        Assert.Throws<ArgumentOutOfRangeException>(() => JournalReader.Open(path, new JournalReadOptions { StartOffset = 5 }).Dispose());
        Assert.Throws<ArgumentOutOfRangeException>(() => JournalReader.Open(path, new JournalReadOptions { StartOffset = 100 }).Dispose());
    }

    [Fact]
    public void Entry_ThatIsNotOk_RefusesToGiveContent()
    {
        var entry = Assert.Single(JournalReader.Read(new MemoryStream("oops\n"u8.ToArray())));

        var error = Assert.Throws<InvalidOperationException>(() => entry.GetString());
        Assert.Contains("Line 1 at offset 0", error.Message);
    }

    private static void WriteWithHugeLine(string path, int hugeLength)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        file.Write("{\"a\":1}\n\""u8);
        var chunk = new byte[1024 * 1024];
        Array.Fill(chunk, (byte)'x');
        for (var remaining = hugeLength - 2; remaining > 0; remaining -= chunk.Length)
        {
            file.Write(chunk, 0, Math.Min(chunk.Length, remaining));
        }

        file.Write("\"\r\n{\"z\":2}\n"u8);
    }

    private static byte[] Gzip(string text)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return output.ToArray();
    }
}
