using System.Diagnostics;
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

    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

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
    public string Machine { get; set; } = Environment.MachineName;

    /// <summary>Writes one total for the whole run instead of one object per file.</summary>
    [Parameter]
    public SwitchParameter Summary { get; set; }

    protected override void ProcessRecord()
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

    protected override void EndProcessing()
    {
        if (!pathGiven)
        {
            try
            {
                foreach (var folder in HistoryImporter.DefaultFolders(
                    Environment.GetEnvironmentVariable("CLAUDE_CONFIG_DIR"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)))
                {
                    AddFolder(folder);
                }
            }
            catch (LogToolsException ex)
            {
                ThrowEngineError(ex);
            }
        }

        var clock = Stopwatch.StartNew();
        var throttle = new ProgressThrottle(ProgressInterval);
        var progress = new ProgressRecord(1, "Importing API call history", "Reading logs");
        var options = new HistoryImportOptions
        {
            Machine = Machine,
            CancellationToken = CancellationToken,
            ShouldWrite = path => ShouldProcess(path, "Import API calls"),
            OnError = WriteEngineError,
            OnProgress = (done, total, path) =>
            {
                if (!throttle.Due(final: done >= total))
                {
                    return;
                }

                progress.StatusDescription = $"{Display.Bytes(done)} of {Display.Bytes(total)}";
                progress.CurrentOperation = path;
                progress.PercentComplete = total > 0 ? (int)Math.Min(100, done * 100 / total) : 100;
                WriteProgress(progress);
            },
        };

        var summary = new HistoryImportSummary();
        try
        {
            Stoppable(() =>
            {
                foreach (var result in new HistoryImporter(OpenStore()).Import(files, options))
                {
                    if (result.Malformed > 0)
                    {
                        WriteWarning($"{result.Malformed} malformed line(s) in '{result.Path}' were skipped; the first: {result.FirstProblem}");
                    }

                    WriteVerbose($"{result.Path}: {(result.Unchanged ? "unchanged" : $"{result.Imported} imported, {result.Duplicates} already stored, {result.BytesRead} bytes read")}");
                    summary.Add(result);
                    if (!Summary)
                    {
                        WriteObject(result);
                    }
                }
            });
        }
        catch (LogToolsException ex)
        {
            ThrowEngineError(ex);
        }
        finally
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }

        if (Summary)
        {
            summary.Duration = clock.Elapsed;
            WriteObject(summary);
        }
    }

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
            WriteEngineError(HistoryImporter.PathNotFound(asGiven));
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
