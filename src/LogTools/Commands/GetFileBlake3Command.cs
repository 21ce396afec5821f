using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Hashing;

namespace LogTools.Commands;

/// <summary>
/// Get-FileBlake3: Get-FileHash for BLAKE3. Digests equal b3sum's; -Length for extended output, -Key
/// and -DeriveKeyContext for the other modes, -OutboardPath for a bao outboard.
/// </summary>
[Cmdlet(VerbsCommon.Get, "FileBlake3", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
[OutputType("LogTools.Engine.Hashing.FileBlake3")]
public sealed class GetFileBlake3Command : LogToolsCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);
    private readonly HashSet<string> outboardsWritten = new(StringComparer.Ordinal);
    private Blake3Options? options;
    private int fileNumber;

    /// <summary>Files to hash; wildcards allowed.</summary>
    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    public string[] Path { get; set; } = [];

    /// <summary>Files to hash, taken literally; Get-ChildItem output binds here.</summary>
    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Digest length in bytes (BLAKE3 extended output); 32 by default, as b3sum.</summary>
    [Parameter]
    [ValidateRange(1, 1 << 20)]
    public int Length { get; set; } = 32;

    /// <summary>A 32-byte key for keyed hashing: a byte array or 64 hex digits.</summary>
    [Parameter]
    public object? Key { get; set; }

    /// <summary>A context string for BLAKE3's key derivation mode (b3sum --derive-key).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? DeriveKeyContext { get; set; }

    /// <summary>Where to write each file's bao outboard: a folder (gets &lt;name&gt;.obao) or, for one file, a file path.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutboardPath { get; set; }

    protected override void Begin() => options = FileBlake3.Options(Unwrap(Key), DeriveKeyContext, Length, OutboardPath);

    protected override void Process()
    {
        var literal = ParameterSetName != PathSet;
        foreach (var file in (literal ? LiteralPath : Path).SelectMany(p => ExpandPath(p, literal, FileNotFound)))
        {
            Hash(file);
        }
    }

    protected override void End() => WriteProgress(new ProgressRecord(1, "Get-FileBlake3", "Done") { RecordType = ProgressRecordType.Completed });

    // The engine reads plain values: PowerShell wraps a key given as a variable or as array items.
    private static object? Unwrap(object? value) => (value is PSObject wrapped ? wrapped.BaseObject : value) switch
    {
        object[] items => items.Select(Unwrap).ToArray(),
        var plain => plain,
    };

    private static LogToolsException FileNotFound(string path) => new("FileNotFound", ErrorKind.ObjectNotFound, path, $"No file matches '{path}'.");

    private void Hash(string file)
    {
        var outboard = OutboardPath is null ? null : FileBlake3.OutboardFor(ResolveUserPath(OutboardPath), file);
        if (outboard is not null && !outboardsWritten.Add(outboard))
        {
            // Several files into one outboard file would leave only the last: refuse rather than overwrite.
            WriteEngineError(FileBlake3.OutboardReused(file, outboard));
            return;
        }

        if (outboard is not null && !ShouldProcess(outboard, $"Write the bao outboard of '{file}'"))
        {
            outboard = null;
        }

        var number = ++fileNumber;
        var throttle = new ProgressThrottle(ProgressInterval);
        var progressOptions = new Blake3Options
        {
            Key = options!.Key,
            DeriveKeyContext = options.DeriveKeyContext,
            OutputLength = options.OutputLength,
            CancellationToken = CancellationToken,
            Progress = done =>
            {
                // Progress is reported on this thread.
                if (throttle.Due())
                {
                    WriteProgress(new ProgressRecord(1, "Get-FileBlake3", $"File {number}: {file}") { CurrentOperation = Display.Bytes(done) + " hashed" });
                }
            },
        };
        ForInput(() => WriteObject(FileBlake3.Compute(file, progressOptions, outboard)));
    }
}
