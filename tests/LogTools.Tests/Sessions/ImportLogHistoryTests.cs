using System.Management.Automation;
using LogTools.Tests.Support;

namespace LogTools.Tests.Sessions;

public sealed class ImportLogHistoryTests
{
    private const string CountRows = "(Get-LogStore).Tables | Where-Object Name -eq $args[0] | ForEach-Object Rows";

    private static string Assistant(string id, int input, int output) =>
        "{\"message\":{\"id\":\"msg_" + id + "\",\"model\":\"claude-sonnet-4\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"usage\":{\"input_tokens\":" + input
        + ",\"output_tokens\":" + output + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}},\"requestId\":\"req_" + id
        + "\",\"type\":\"assistant\",\"timestamp\":\"2025-06-01T10:00:00.000Z\"}\n";

    private static string Write(ModuleSession session, string relative, string content)
    {
        var path = session.Folder.Combine(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static object Prop(PSObject o, string name) => o.Properties[name].Value;

    [Fact]
    public void A_folder_imports_once_per_call_with_a_warning_for_malformed_lines_and_reimports_nothing()
    {
        using var session = new ModuleSession();
        Write(session, "logs/p1/a.jsonl", Assistant("1", 10, 20) + "{\"type\":\"user\",\"message\":{\"content\":\"long text\"}}\n" + "{oops\n");
        Write(session, "logs/p2/b.jsonl", Assistant("1", 10, 20) + Assistant("2", 1, 2));

        var first = session.Run("Import-LogHistory -Path $args[0]", session.Folder.Combine("logs")).AssertNoErrors();

        Assert.Equal(["LogTools.Engine.Sessions.HistoryFileImport", "LogTools.Engine.Sessions.HistoryFileImport"], first.Output.Select(o => o.TypeNames[0]));
        Assert.Equal([1L, 1L], first.Output.Select(o => (long)Prop(o, "Imported")));
        Assert.Equal([0L, 1L], first.Output.Select(o => (long)Prop(o, "Duplicates")));
        Assert.Equal([1L, 0L], first.Output.Select(o => (long)Prop(o, "Malformed")));
        var warning = Assert.Single(first.Warnings).Message;
        Assert.Contains("1 malformed line(s)", warning);
        Assert.Contains("a.jsonl", warning);
        Assert.Contains("Line 3", warning);
        Assert.NotEmpty(first.Progress);
        Assert.Equal(2L, session.Run(CountRows, "api_calls").Objects.Single());

        var again = session.Run("Import-LogHistory -Path $args[0] -Summary", session.Folder.Combine("logs")).AssertNoErrors().Output.Single();
        Assert.Equal("LogTools.Engine.Sessions.HistoryImportSummary", again.TypeNames[0]);
        Assert.Equal((2L, 2L, 0L, 0L), ((long)Prop(again, "Files"), (long)Prop(again, "Unchanged"), (long)Prop(again, "BytesRead"), (long)Prop(again, "Imported")));
        Assert.Equal(2L, session.Run(CountRows, "api_calls").Objects.Single());
    }

    [Fact]
    public void A_grown_file_is_read_from_where_the_last_import_stopped_and_piped_files_bind_by_name()
    {
        using var session = new ModuleSession();
        var path = Write(session, "grow.jsonl", Assistant("1", 1, 1));
        var size = new FileInfo(path).Length;
        session.Run("[System.IO.FileInfo]::new($args[0]) | Import-LogHistory", path).AssertNoErrors();
        File.AppendAllText(path, Assistant("2", 1, 1));

        var second = session.Run("[System.IO.FileInfo]::new($args[0]) | Import-LogHistory -Machine other", path).AssertNoErrors().Output.Single();
        var third = session.Run("Import-LogHistory -LiteralPath $args[0] -Machine other", path).AssertNoErrors().Output.Single();

        // -Machine other has no state yet: it reads from 0 and finds the first call already stored.
        Assert.Equal((0L, 1L, 1L), ((long)Prop(second, "StartOffset"), (long)Prop(second, "Imported"), (long)Prop(second, "Duplicates")));
        Assert.True((bool)Prop(third, "Unchanged"));
        File.AppendAllText(path, Assistant("3", 1, 1));
        var fourth = session.Run("Import-LogHistory -LiteralPath $args[0]", path).AssertNoErrors().Output.Single();
        Assert.Equal((size, new FileInfo(path).Length - size, 1L), ((long)Prop(fourth, "StartOffset"), (long)Prop(fourth, "BytesRead"), (long)Prop(fourth, "Imported")));
    }

    [Fact]
    public void WhatIf_reads_and_reports_but_stores_nothing()
    {
        using var session = new ModuleSession();
        var path = Write(session, "w.jsonl", Assistant("1", 1, 1) + Assistant("2", 1, 1));

        var result = session.Run("Import-LogHistory $args[0] -WhatIf", path).AssertNoErrors().Output.Single();

        Assert.Equal((true, 2L, 0L), ((bool)Prop(result, "WhatIf"), (long)Prop(result, "Calls"), (long)Prop(result, "Imported")));
        Assert.Equal(0L, session.Run(CountRows, "api_calls").Objects.Single());
        Assert.Equal(0L, session.Run(CountRows, "history_import_files").Objects.Single());
    }

    [Fact]
    public void A_path_matching_nothing_is_an_error_naming_it_and_the_other_paths_are_imported()
    {
        using var session = new ModuleSession();
        var good = Write(session, "good.jsonl", Assistant("1", 1, 1));
        var missing = session.Folder.Combine("nothing-here-*.jsonl");

        var result = session.Run("Import-LogHistory -Path $args[0], $args[1]", missing, good);

        var error = result.SingleError();
        Assert.Equal("HistoryPathNotFound,LogTools.Commands.ImportLogHistoryCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(missing, error.TargetObject);
        Assert.Contains(missing, error.Exception.Message);
        Assert.Equal(1L, Prop(result.Output.Single(), "Imported"));
        var literal = session.Run("Import-LogHistory -LiteralPath $args[0]", session.Folder.Combine("absent.jsonl")).SingleError();
        Assert.Equal("HistoryPathNotFound,LogTools.Commands.ImportLogHistoryCommand", literal.FullyQualifiedErrorId);
    }
}
