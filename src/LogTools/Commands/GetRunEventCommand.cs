using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Runs;

namespace LogTools.Commands;

/// <summary>Get-RunEvent: streams a run's events (or raw NDJSON lines), from a sequence, by type, the last N, and live with -Follow.</summary>
[Cmdlet(VerbsCommon.Get, "RunEvent")]
[OutputType("LogTools.Engine.Runs.RunEvent", "System.String")]
public sealed class GetRunEventCommand : TelemetryCmdlet
{

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string RunId { get; set; } = string.Empty;

    /// <summary>The first sequence to return; beyond the end returns nothing.</summary>
    [Parameter]
    public long FromSequence { get; set; } = 1;

    /// <summary>Event types to return, with wildcards (console.*, validation.*).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Type { get; set; }

    /// <summary>Only the last N events (of the selected type).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Write each event's NDJSON line as it is in the log, instead of an object.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>Keep streaming events as they are appended, until run.completed (or Ctrl+C).</summary>
    [Parameter]
    public SwitchParameter Follow { get; set; }

    protected override void Process() => ForInput(() =>
    {
        var run = new RunLedger(OpenStore()).Get(RunId);
        var pattern = Type is null ? null : new WildcardPattern(Type, WildcardOptions.IgnoreCase);
        var query = new RunEventQuery
        {
            FromSequence = FromSequence,
            TypeMatch = pattern is null ? null : pattern.IsMatch,
            Tail = Tail,
            Follow = Follow,
        };
        RunEventReader.Read(run, query, line => WriteObject(Raw ? line.Text : line.ToEvent()), WriteEngineError, CancellationToken);
    });
}
