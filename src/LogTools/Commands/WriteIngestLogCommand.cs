using System.Management.Automation;
using System.Reflection;
using LogTools.Engine;
using LogTools.Engine.Hashing;
using LogTools.Engine.Ingest;
using LogTools.Engine.Runs;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Write-IngestLog: logs per-file records of a run's phase: from pipeline objects (taken whole as -InputObject, their
/// properties read by name), from files
/// (-Path: BLAKE3 and size computed), or as the delta of the pipeline's own SQLite database (-Database/-Query).
/// Writes the number of records logged.
/// </summary>
[Cmdlet(VerbsCommunications.Write, "IngestLog", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = RecordSet)]
[OutputType(typeof(int))]
public sealed class WriteIngestLogCommand : TelemetryCmdlet
{
    private const string RecordSet = "Record";
    private const string PathSet = "Path";
    private const string DatabaseSet = "Database";
    private const int BatchSize = 10_000;

    // PowerShell's binding by property name (ValueFromPipelineByPropertyName on the nine record parameters) cost more per
    // object than logging the record: a pipeline object is taken whole and its properties are read here instead.
    private static readonly PropertyBinder<WriteIngestLogCommand> FromObject = new(
        nameof(RelPath), nameof(Status), nameof(SizeRaw), nameof(SizeStored), nameof(ContentHash), nameof(FileId), nameof(ContentVersionId),
        nameof(ErrorType), nameof(ErrorMessage));

    // The statuses -Status takes; a pipeline object's Status is checked against the same set.
    private static readonly string[] Statuses = typeof(WriteIngestLogCommand).GetProperty(nameof(Status))!.GetCustomAttribute<ValidateSetAttribute>()!.ValidValues.ToArray();

    private readonly List<IngestRecord> batch = [];
    private PropertyBinder<WriteIngestLogCommand>.Filler? fromObject;
    private IngestLedger? ledger;
    private string? runId;
    private int logged;

    protected override StoreAccess Access => StoreAccess.Write;

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Phase { get; set; } = string.Empty;

    /// <summary>The run to log into; the current run (Start-LogRun) when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    /// <summary>
    /// A record as an object (an Import-Csv row, a script object, Get-IngestLog output): its properties fill the record
    /// parameters of the same names that are not given on the command line.
    /// </summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = RecordSet)]
    public PSObject? InputObject { get; set; }

    [Parameter(ParameterSetName = RecordSet)]
    public string? RelPath { get; set; }

    [Parameter(ParameterSetName = RecordSet)]
    [ValidateSet("Processed", "Skipped", "Error")]
    public string? Status { get; set; } = "Processed";

    [Parameter(ParameterSetName = RecordSet)]
    public long? SizeRaw { get; set; }

    [Parameter(ParameterSetName = RecordSet)]
    public long? SizeStored { get; set; }

    [Parameter(ParameterSetName = RecordSet)]
    public string? ContentHash { get; set; }

    [Parameter(ParameterSetName = RecordSet)]
    public long? FileId { get; set; }

    [Parameter(ParameterSetName = RecordSet)]
    public long? ContentVersionId { get; set; }

    [Parameter(ParameterSetName = RecordSet)]
    public string? ErrorType { get; set; }

    [Parameter(ParameterSetName = RecordSet)]
    public string? ErrorMessage { get; set; }

    /// <summary>Files to log as processed, with their BLAKE3 and size; wildcards allowed.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The folder relative paths start from; the current location when absent.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string? Root { get; set; }

    /// <summary>The pipeline's SQLite database, read read-only.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DatabaseSet)]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    /// <summary>The query whose rows (columns named as ingest_log's: relpath, status, size_raw, ...) are the phase's files.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DatabaseSet)]
    [ValidateNotNullOrEmpty]
    public string? Query { get; set; }

    protected override void Begin() => fromObject = FromObject.For(MyInvocation.BoundParameters.Keys);

    protected override void Process()
    {
        // A pipeline object ($null too) is a record only when its properties bind, as with PowerShell's binding.
        if ((InputObject is not null || MyInvocation.ExpectingInput) && !Bind(InputObject))
        {
            return;
        }

        if (!Open())
        {
            return;
        }

        switch (ParameterSetName)
        {
            case DatabaseSet:
                logged += ledger!.WriteDelta(runId!, Phase, ResolveUserPath(Database!), Query!);
                break;
            case PathSet:
                var root = ResolveUserPath(Root ?? ".");
                foreach (var file in Path.SelectMany(p => ExpandPath(p, literal: false, NotFound)))
                {
                    Add(FromFile(file, root));
                }

                break;
            default:
                Add(new IngestRecord
                {
                    RelPath = RelPath ?? string.Empty, Status = IngestLedger.ParseStatus(Status!, RelPath), SizeRaw = SizeRaw, SizeStored = SizeStored,
                    ContentHash = ContentHash, FileId = FileId, ContentVersionId = ContentVersionId, ErrorType = ErrorType, ErrorMessage = ErrorMessage,
                });
                break;
        }
    }

    protected override void End()
    {
        Flush();
        if (ledger is not null)
        {
            WriteObject(logged);
        }
    }

    /// <summary>
    /// Fills the record parameters from a pipeline object, reporting what PowerShell's by-property-name binding reported
    /// (same error ids, the object as the target): an object none of whose properties fills a parameter, and a Status the
    /// parameter's [ValidateSet] refuses. False when the object is not logged.
    /// </summary>
    private bool Bind(PSObject? input)
    {
        if (input is null || !fromObject!.Bind(this, input))
        {
            WriteError(new ErrorRecord(
                new ParameterBindingException("The input object cannot be bound to any parameters for the command either because the command does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input."),
                "InputObjectNotBound", ErrorCategory.InvalidArgument, input));
            return false;
        }

        if (Status is { } status && Statuses.Contains(status, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        var problem = Status is null
            ? "The argument is null, empty, or an element of the argument collection contains a null value. Supply a collection that does not contain any null values and then try the command again."
            : $"The argument \"{Status}\" does not belong to the set \"{string.Join(',', Statuses)}\" specified by the ValidateSet attribute. Supply an argument that is in the set and then try the command again.";
        WriteError(new ErrorRecord(
            new ParameterBindingException($"Cannot validate argument on parameter '{nameof(Status)}'. {problem}"), "ParameterArgumentValidationError", ErrorCategory.InvalidData, input));
        return false;
    }

    private static LogToolsException NotFound(string path) => new(
        "IngestFileNotFound", ErrorKind.ObjectNotFound, path, $"No file matches '{path}'. Nothing was logged for it.");

    private static IngestRecord FromFile(string file, string root)
    {
        var hash = Blake3File.Hash(file);
        return new IngestRecord
        {
            RelPath = System.IO.Path.GetRelativePath(root, file).Replace('\\', '/'),
            SizeRaw = hash.Length,
            ContentHash = hash.ToString(),
        };
    }

    /// <summary>Checks the run once, before any input is logged; false under -WhatIf.</summary>
    private bool Open()
    {
        if (ledger is not null)
        {
            return true;
        }

        var target = RunLedger.Require(RunId ?? CurrentLogRun.Get());
        if (!ShouldProcess(target, $"Log {Phase} records"))
        {
            return false;
        }

        var store = OpenStore();
        new RunLedger(store).RequireOpen(target);
        (ledger, runId) = (new IngestLedger(store), target);
        return true;
    }

    private void Add(IngestRecord record)
    {
        if (IngestLedger.Invalid(record) is { } error)
        {
            WriteEngineError(error);
            return;
        }

        batch.Add(record);
        if (batch.Count >= BatchSize)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (batch.Count > 0)
        {
            logged += ledger!.Write(runId!, Phase, batch);
            batch.Clear();
        }
    }
}
