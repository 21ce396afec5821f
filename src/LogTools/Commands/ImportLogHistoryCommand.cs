using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Import-LogHistory: imports the API calls recorded in Claude Code project logs and LogTools worker logs into
/// the store, reading each file only from where its last import stopped.
/// </summary>
[Cmdlet(VerbsData.Import, "LogHistory", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Sessions.HistoryFileImport", "LogTools.Engine.Sessions.HistoryImportSummary")]
public sealed class ImportLogHistoryCommand : StoreCmdlet
{
    /// <summary>Writes the store: creates and migrates it when needed.</summary>
    protected override StoreAccess Access => StoreAccess.Write;

    /// <summary>Each invocation is one run of kind import: one import.file event per file.</summary>
    protected override string? RunKind => "import";

    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    private readonly List<string> files = [];
    private bool pathGiven;

    /// <summary>Log files or folders (searched recursively for *.jsonl); wildcards allowed. Default: Claude Code's project folders.</summary>
    [Parameter(ParameterSetName = PathSet, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Log files or folders, taken literally; binds the PSPath / FullName of piped file objects.</summary>
    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "LP")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>The machine the calls are attributed to. Default: this machine.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Machine { get; set; } = HostName.Current;

    /// <summary>Writes one total for the whole run instead of one object per file.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    protected override void Process()
    {
        if (LiteralPath is not null)
        {
            foreach (var path in LiteralPath)
            {
                pathGiven = true;
                AddLiteral(path);
            }
        }

        foreach (var path in Path ?? [])
        {
            pathGiven = true;
            AddWildcard(path);
        }
    }

    protected override void End()
    {
        if (!pathGiven)
        {
            foreach (var folder in HistoryImporter.DefaultFolders(
                Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)))
            {
                AddFolder(folder);
            }
        }

        var importer = new HistoryImporter(OpenStore());
        RunEngine(sink => importer.Run(files, new HistoryImportOptions { Machine = Machine }, sink), ShouldProcessCanAct());
    }

    /// <summary>-Summary writes only the totals; otherwise one object per file.</summary>
    protected internal override bool Writes(object item) => Summary == item is HistoryImportSummary;

    private void AddWildcard(string path)
    {
        foreach (var item in ExpandPath(path, literal: false, HistoryImporter.PathNotFound))
        {
            AddResolved(item, path);
        }
    }

    private void AddLiteral(string path) => AddResolved(ResolveUserPath(path), path);

    private void AddResolved(string fullPath, string asGiven)
    {
        if (Directory.Exists(fullPath))
        {
            AddFolder(fullPath);
        }
        else if (File.Exists(fullPath))
        {
            files.Add(fullPath);
        }
        else
        {
            Sink.Error(HistoryImporter.PathNotFound(asGiven));
        }
    }

    private void AddFolder(string folder)
    {
        var before = files.Count;
        files.AddRange(HistoryImporter.FilesIn(folder));
        if (files.Count == before)
        {
            WriteVerbose($"No .jsonl logs under '{folder}'.");
        }
    }
}
