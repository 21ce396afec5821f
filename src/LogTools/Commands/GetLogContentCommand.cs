using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine;
using LogTools.Engine.Journal;
using LogTools.Engine.Sessions;

namespace LogTools.Commands;

/// <summary>
/// Get-LogContent: streams the records of JSONL files (a worker's conversation, or any path) as objects or raw lines,
/// in constant memory; defective lines are reported as errors and reading goes on.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LogContent", DefaultParameterSetName = PathSet)]
[OutputType(typeof(PSObject), typeof(string))]
public sealed class GetLogContentCommand : TelemetryCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string WorkerSet = "Worker";

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = [];

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [Alias("PSPath", "FullName", "LP")]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>The worker whose conversation (its LogFile) to read.</summary>
    [Parameter(ParameterSetName = WorkerSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(WorkerIdCompleter))]
    public string WorkerId { get; set; } = string.Empty;

    /// <summary>Each line as a string, without parsing it (only its UTF-8 is checked).</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>The longest line, in bytes, that is read; longer lines are reported and skipped.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue - 2)]
    public int MaxLineLength { get; set; } = JournalReadOptions.DefaultMaxLineBytes;

    protected override void Process()
    {
        var worker = ParameterSetName == WorkerSet ? WorkerId : null;
        foreach (var file in Files())
        {
            ForInput(() =>
            {
                foreach (var record in JournalContent.Read(file, MaxLineLength, Raw, ToPsObject, worker))
                {
                    if (record.Problem is { } problem)
                    {
                        WriteEngineError(problem);
                    }
                    else
                    {
                        WriteObject(record.Value);
                    }
                }
            });
        }
    }

    private static PSObject ToPsObject(IReadOnlyList<KeyValuePair<string, object?>> properties)
    {
        var record = new PSObject();
        foreach (var (name, value) in properties)
        {
            // PowerShell property names ignore case; JSON's do not. The last of two such keys wins, as in JSON parsers.
            if (record.Properties[name] is { } existing)
            {
                existing.Value = value;
            }
            else
            {
                record.Properties.Add(new PSNoteProperty(name, value));
            }
        }

        return record;
    }

    private IEnumerable<string> Files()
    {
        switch (ParameterSetName)
        {
            case WorkerSet:
                string? logFile = null;
                ForInput(() => logFile = new WorkerLedger(OpenStore()).LogFileOf(WorkerId));
                return logFile is null ? [] : [logFile];
            case LiteralPathSet:
                return LiteralPath.SelectMany(p => ExpandPath(p, literal: true, NotFound));
            default:
                return Path.SelectMany(p => ExpandPath(p, literal: false, NotFound));
        }
    }

    private static LogToolsException NotFound(string path) => JournalContent.NotFound(path, null);
}
