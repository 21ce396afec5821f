using System.Collections;
using System.Globalization;
using System.Management.Automation;
using LogTools.Engine;
using LogTools.Engine.Runs;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>
/// Write-RunEvent: appends events to a run's log, one per pipeline input (a native program's output lines, objects)
/// or one from -Message/-Payload, in batches.
/// </summary>
[Cmdlet(VerbsCommunications.Write, "RunEvent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Runs.LogRun")]

public sealed class WriteRunEventCommand : TelemetryCmdlet
{
    private RunEventBatch? batch;
    private RunLedger? ledger;

    protected override StoreAccess Access => StoreAccess.Write;

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = string.Empty;

    /// <summary>A line of text (the message) or an object (the payload); an error record (a native program's stderr line) is a message with stream stderr.</summary>
    [Parameter(ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    /// <summary>The event's payload: a hashtable or an object whose properties are plain data.</summary>
    [Parameter]
    public object? Payload { get; set; }

    [Parameter]
    public string? Message { get; set; }

    [Parameter]
    [ValidateSet("Debug", "Info", "Warning", "Error", "Critical")]
    public string? Severity { get; set; }

    /// <summary>The run to write to; the current run (Start-LogRun) when absent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? RunId { get; set; }

    /// <summary>Write the run, with its event count, once the events are written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Dispose(bool disposing)
    {
        // Stopped by Ctrl+C: EndProcessing never runs, yet what was collected still belongs in the log.
        if (disposing && batch is { Pending: > 0 })
        {
            try
            {
                batch.Flush();
            }
            catch (LogToolsException)
            {
                // nowhere left to report it; the run shows what was written
            }
        }

        base.Dispose(disposing);
    }

    protected override void Process()
    {
        try
        {
            var target = RunLedger.Require(RunId ?? CurrentLogRun.Get());
            if (batch is null || batch.RunId != target)
            {
                if (!ShouldProcess(target, $"Write {Type} events"))
                {
                    return;
                }

                batch?.Flush();
                batch = Open(target);
            }

            batch.Add(ToEvent());
        }
        catch (LogToolsException ex) when (ex.ErrorId.EndsWith("NotSerializable", StringComparison.Ordinal))
        {
            // One input that cannot be written; the others still can.
            WriteEngineError(ex);
        }
    }

    protected override void End()
    {
        batch?.Flush();
        if (PassThru && batch is not null)
        {
            WriteObject(ledger!.Get(batch.RunId));
        }
    }

    private RunEventBatch Open(string runId)
    {
        ledger = new RunLedger(OpenStore());
        ledger.RequireOpen(runId); // refuse a completed or unknown run before reading any input
        return new RunEventBatch(ledger, runId);
    }

    private NewRunEvent ToEvent()
    {
        var input = InputObject is PSObject wrapped ? wrapped.BaseObject : InputObject;
        var (message, stream, payload) = input switch
        {
            null => (Message, null, Payload),
            string text => (text, null, Payload),
            _ when input.GetType().IsPrimitive || input is decimal => (Convert.ToString(input, CultureInfo.InvariantCulture), null, Payload),
            ErrorRecord error => (error.ToString(), "stderr", Payload),
            _ => (Message, null, InputObject),
        };
        return new NewRunEvent
        {
            Type = Type,
            Time = DateTimeOffset.UtcNow,
            Message = message,
            Severity = Severity is null ? null : ParseEnum<LogEventSeverity>(Severity),
            Stream = stream,
            PayloadJson = payload is null ? null : DetailsJson.Serialize(payload is IDictionary ? payload : Unwrap(payload), nameof(Payload), Unwrap),
        };
    }
}
