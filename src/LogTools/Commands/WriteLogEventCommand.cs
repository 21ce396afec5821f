using System.Collections;
using System.Management.Automation;
using LogTools.Completion;
using LogTools.Engine.Sessions;
using LogTools.Engine.Store;

namespace LogTools.Commands;

/// <summary>Write-LogEvent: records one coordinator event (trigger, decision, error, worktree operation...) in a session.</summary>
[Cmdlet(VerbsCommunications.Write, "LogEvent", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType("LogTools.Engine.Sessions.LogEvent")]
public sealed class WriteLogEventCommand : TelemetryCmdlet
{
    /// <summary>Writes the store: creates and migrates it when needed.</summary>
    protected override StoreAccess Access => StoreAccess.Write;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Type { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Message { get; set; } = string.Empty;

    [Parameter]
    [ValidateSet("Debug", "Info", "Warning", "Error", "Critical")]
    public string Severity { get; set; } = "Info";

    /// <summary>What the event is about: task, worker, session, worktree...</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ContextType { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? ContextId { get; set; }

    /// <summary>Structured details, stored as JSON.</summary>
    [Parameter]
    public IDictionary? Details { get; set; }

    /// <summary>When it happened; now when absent.</summary>
    [Parameter]
    public DateTime? Timestamp { get; set; }

    /// <summary>The session to write into; the current session when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionIdCompleter))]
    public string? SessionId { get; set; }

    /// <summary>Write the recorded event.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process() => ForInput(() =>
    {
        var e = new NewLogEvent
        {
            SessionId = SessionLedger.Require(SessionId ?? CurrentSessionId),
            Type = Type,
            Severity = ParseEnum<LogEventSeverity>(Severity),
            Message = Message,
            ContextType = ContextType,
            ContextId = ContextId,
            Details = DetailsJson.Serialize(Details, nameof(Details), Unwrap),
            Timestamp = ToOffset(Timestamp),
        };
        if (ShouldProcess(e.SessionId, $"Write a {Severity} {Type} event"))
        {
            var written = new EventLedger(OpenStore()).Write(e);
            if (PassThru)
            {
                WriteObject(written);
            }
        }
    });
}
