using System.IO.Compression;
using System.Management.Automation;
using System.Text;
using LogTools.Tests.Support;
using static LogTools.Tests.Sessions.TelemetryStore;

namespace LogTools.Tests.Sessions;

public sealed class LogContentTests
{
    [Fact]
    public void Records_become_objects_with_ordered_properties_arrays_and_long_or_double_numbers()
    {
        using var session = new ModuleSession();
        var file = session.Folder.Combine("conversation.jsonl");
        File.WriteAllText(file, """
            {"role":"user","content":[1,2.5,"x",null,true],"usage":{"tokens":9007199254740993},"Zeta":"last"}
            [1,{"a":"b"}]

            """);

        var output = session.Run("Get-LogContent -LiteralPath $args[0]", file).AssertNoErrors().Output;

        Assert.Equal(2, output.Count);
        var first = output[0];
        Assert.Equal(["role", "content", "usage", "Zeta"], first.Properties.Select(p => p.Name));
        Assert.Equal(new object?[] { 1L, 2.5, "x", null, true }, (object?[])Prop(first, "content")!);
        Assert.Equal(9007199254740993L, Prop((PSObject)Prop(first, "usage")!, "tokens"));
        var array = Assert.IsType<object?[]>(output[1].BaseObject);
        Assert.Equal(1L, array[0]);
        Assert.Equal("b", Prop((PSObject)array[1]!, "a"));
    }

    [Fact]
    public void Bad_lines_are_non_terminating_errors_with_stable_ids_and_path_line_targets_and_reading_continues()
    {
        using var session = new ModuleSession();
        var file = session.Folder.Combine("bad.jsonl");
        byte[] content = [.. "{\"n\":1}\n{\"n\":\"bad "u8, 0xC3, 0x28, .. "\"}\nnot json\n{\"n\":4}\n{\"n\":"u8];
        File.WriteAllBytes(file, content);

        var result = session.Run("Get-LogContent -Path $args[0]", file);

        Assert.Equal([1L, 4L], result.Output.Select(o => Prop(o, "n")));
        Assert.Equal(
            ["JournalInvalidUtf8", "JournalInvalidJson", "JournalTornLine"],
            result.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
        Assert.All(result.Errors, e => Assert.Equal(ErrorCategory.InvalidData, e.CategoryInfo.Category));
        Assert.Equal([$"{file}:2", $"{file}:3", $"{file}:5"], result.Errors.Select(e => e.TargetObject));
        Assert.All(result.Errors, e => Assert.Contains(file, e.Exception.Message));

        var raw = session.Run("Get-LogContent -Path $args[0] -Raw", file);
        Assert.Equal(["{\"n\":1}", "not json", "{\"n\":4}"], raw.Objects);
        Assert.Equal(["JournalInvalidUtf8", "JournalTornLine"], raw.Errors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
    }

    [Fact]
    public void A_10_MB_line_is_an_error_with_the_default_limit_and_is_read_with_a_larger_one_and_gzip_is_transparent()
    {
        using var session = new ModuleSession();
        var big = new string('x', 10 * 1024 * 1024);
        var text = "{\"n\":1}\n{\"big\":\"" + big + "\"}\n{\"n\":3}\n";
        var plain = session.Folder.Combine("big.jsonl");
        File.WriteAllText(plain, text);
        var zipped = session.Folder.Combine("big.jsonl.gz");
        using (var gz = new GZipStream(File.Create(zipped), CompressionLevel.Fastest))
        {
            gz.Write(Encoding.UTF8.GetBytes(text));
        }

        foreach (var file in new[] { plain, zipped })
        {
            var limited = session.Run("Get-LogContent -LiteralPath $args[0] | ForEach-Object { $_.n }", file);
            Assert.Equal([1L, 3L], limited.Objects);
            var error = limited.SingleError();
            Assert.Equal("JournalLineTooLong,LogTools.Commands.GetLogContentCommand", error.FullyQualifiedErrorId);
            Assert.Equal($"{file}:2", error.TargetObject);
            Assert.Contains("-MaxLineLength", error.Exception.Message);

            var widened = session.Run("Get-LogContent -LiteralPath $args[0] -MaxLineLength 16MB | ForEach-Object { if ($_.big) { $_.big.Length } else { $_.n } }", file);
            Assert.Equal([1L, big.Length, 3L], widened.AssertNoErrors().Objects.Select(Convert.ToInt64));
        }

        var small = session.Run("Get-LogContent -LiteralPath $args[0] -MaxLineLength 5", plain);
        Assert.Empty(small.Output);
        Assert.Equal(3, small.Errors.Count(e => e.FullyQualifiedErrorId.StartsWith("JournalLineTooLong,")));
    }

    [Fact]
    public void Paths_take_wildcards_relative_to_the_location_literal_paths_come_from_file_objects_and_workers_from_their_log_file()
    {
        using var session = new ModuleSession();
        File.WriteAllText(session.Folder.Combine("a.jsonl"), "{\"f\":\"a\"}\n");
        File.WriteAllText(session.Folder.Combine("b.jsonl"), "{\"f\":\"b\"}\n");
        File.WriteAllText(session.Folder.Combine("[c].jsonl"), "{\"f\":\"c\"}\n");
        session.Run("$ExecutionContext.SessionState.Path.SetLocation($args[0]) | Out-Null", session.Folder.Path).AssertNoErrors();

        Assert.Equal(["a", "b"], session.Run("Get-LogContent ./?.jsonl | ForEach-Object f").AssertNoErrors().Objects);
        Assert.Equal(["c"], session.Run("[System.IO.FileInfo]::new($args[0]) | Get-LogContent | ForEach-Object f", session.Folder.Combine("[c].jsonl")).AssertNoErrors().Objects);
        Assert.Equal(["b"], session.Run("'b.jsonl' | Get-LogContent | ForEach-Object f").AssertNoErrors().Objects);
        var missing = session.Run("Get-LogContent ./nothere.jsonl").SingleError();
        Assert.Equal("FileNotFound,LogTools.Commands.GetLogContentCommand", missing.FullyQualifiedErrorId);

        session.Run("""
            Start-LogSession | Out-Null
            Set-LogWorker w1 -Status Spawned -LogFile ./a.jsonl
            Set-LogWorker w2 -Status Spawned -LogFile ./b.jsonl
            Set-LogWorker w3 -Status Spawned
            """).AssertNoErrors();
        var piped = session.Run("Get-LogWorker | Get-LogContent | ForEach-Object f");
        Assert.Equal(["a", "b"], piped.Objects);
        Assert.Equal("WorkerHasNoLogFile,LogTools.Commands.GetLogContentCommand", piped.SingleError().FullyQualifiedErrorId);

        File.Delete(session.Folder.Combine("a.jsonl"));
        var vanished = session.Run("Get-LogContent -WorkerId w1").SingleError();
        Assert.Equal("LogFileNotFound,LogTools.Commands.GetLogContentCommand", vanished.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, vanished.CategoryInfo.Category);
        Assert.Equal(session.Folder.Combine("a.jsonl"), vanished.TargetObject);
        Assert.Contains(session.Folder.Combine("a.jsonl"), vanished.Exception.Message);
    }
}
