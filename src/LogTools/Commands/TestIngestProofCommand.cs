using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Ingest;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Test-IngestProof: verifies ingest proofs (objects from Get-IngestProof, or JSON files of them) without any store.</summary>
[Cmdlet(VerbsDiagnostic.Test, "IngestProof", DefaultParameterSetName = ObjectSet)]
[OutputType("LogTools.Engine.Ingest.IngestProofCheck")]
public sealed class TestIngestProofCommand : LogToolsCmdlet
{
    private const string ObjectSet = "Object";
    private const string PathSet = "Path";

    /// <summary>A proof: Get-IngestProof's object, or the same properties (ConvertFrom-Json).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ObjectSet)]
    public PSObject? InputObject { get; set; }

    /// <summary>JSON files, each one proof (Get-IngestProof | ConvertTo-Json).</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The run root you trust (from a report or another copy); the proof's own when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RunRoot { get; set; }

    protected override void Process()
    {
        if (ParameterSetName == ObjectSet)
        {
            Check(() => InputObject!.BaseObject as IngestProof ?? FromObject(InputObject!));
            return;
        }

        foreach (var file in Path.SelectMany(p => ExpandPath(p, literal: false, NotFound)))
        {
            Check(() => IngestProofs.FromJson(File.ReadAllText(file), file));
        }
    }

    private static LogToolsException NotFound(string path) => new(
        "IngestProofFileNotFound", ErrorKind.ObjectNotFound, path, $"No proof file matches '{path}'.");

    /// <summary>
    /// An object with a proof's properties (ConvertFrom-Json's) as the proof, through its JSON: ConvertFrom-Json turned
    /// the Timestamp text into a DateTime, and the leaf holds the stored text, so times go back to that form.
    /// </summary>
    private static IngestProof FromObject(PSObject value)
    {
        static object? Plain(object? item) => item is PSObject wrapped ? Plain(wrapped.BaseObject) : item switch
        {
            DateTime time => StoreTime.ToText(time.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(time, TimeSpan.Zero) : new DateTimeOffset(time.ToUniversalTime())),
            DateTimeOffset time => StoreTime.ToText(time),
            object[] items => items.Select(Plain).ToArray(),
            _ => item,
        };

        var properties = value.Properties.ToDictionary(p => p.Name, p => Plain(p.Value), StringComparer.OrdinalIgnoreCase);
        return IngestProofs.FromJson(System.Text.Json.JsonSerializer.Serialize(properties), "the input object");
    }

    private void Check(Func<IngestProof> proof) => ForInput(() => WriteObject(IngestProofs.Verify(proof(), RunRoot)));
}
