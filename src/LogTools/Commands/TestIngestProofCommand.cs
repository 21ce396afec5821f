using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Ingest;

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

    protected override void ProcessRecord()
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

    private static IngestProof FromObject(PSObject value)
    {
        try
        {
            return LanguagePrimitives.ConvertTo<IngestProof>(value);
        }
        catch (PSInvalidCastException ex)
        {
            throw new LogToolsException(
                "IngestProofInvalid", ErrorKind.InvalidData, value,
                $"The input is not an ingest proof ({ex.Message}). Give Test-IngestProof what Get-IngestProof wrote (an object, or its ConvertTo-Json).", ex);
        }
    }

    private void Check(Func<IngestProof> proof)
    {
        try
        {
            WriteObject(IngestProofs.Verify(proof(), RunRoot));
        }
        catch (LogToolsException ex)
        {
            WriteEngineError(ex);
        }
    }
}
